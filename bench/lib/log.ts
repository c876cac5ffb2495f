/** Progress lines on stderr, so a long run shows where it is. */
const started = Date.now();

export function log(message: string): void {
    const elapsed = ((Date.now() - started) / 1000).toFixed(0).padStart(5);
    process.stderr.write(`[bench ${elapsed}s] ${message}\n`);
}

/**
 * One broken guard: what is wrong and how to fix it. Messages never contain a secret's value, only the name of
 * the setting that holds it.
 */
export interface Finding {
    /** Setting or property at fault, e.g. "SECRET_KEY" or "ports[0].ip". */
    readonly key: string;
    /** What is wrong, in one sentence. */
    readonly problem: string;
    /** How to fix it, in one sentence. */
    readonly fix: string;
}

/** "KEY: problem Fix: fix" — the single line shown by config validation and policy violations alike. */
export function formatFinding(finding: Finding): string {
    return `${finding.key}: ${finding.problem} Fix: ${finding.fix}`;
}

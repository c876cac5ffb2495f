/**
 * Runs `task` on every item with at most `concurrency` running at once, and resolves when all have settled; a
 * failed task rejects the whole run after the others finish. Engine tests use it to run many short CLI calls
 * without starting them all on a shared two-core machine.
 */
export async function forEachBounded<T>(
    items: readonly T[],
    concurrency: number,
    task: (item: T) => Promise<void>,
): Promise<void> {
    let next = 0;
    const failures: unknown[] = [];
    const worker = async () => {
        while (next < items.length) {
            const item = items[next++];
            await task(item).catch((error: unknown) => failures.push(error));
        }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
    if (failures.length > 0) {
        throw failures[0];
    }
}

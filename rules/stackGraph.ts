/** Graph helpers over a stack's resources: what a resource waits for, directly or through others. */
export interface GraphNode<T extends GraphNode<T>> {
    readonly dependencies: readonly T[];
}

/** Every resource `start` waits for, transitively (not including `start`). */
export function transitiveDependencies<T extends GraphNode<T>>(start: T): Set<T> {
    const seen = new Set<T>();
    const queue = [...start.dependencies];
    while (queue.length > 0) {
        const next = queue.pop()!;
        if (next !== start && !seen.has(next)) {
            seen.add(next);
            // Shared dependencies (the network, the database) are reached from many sides; queueing only those not
            // seen yet visits the same resources in the same order with a fraction of the queue.
            for (const dependency of next.dependencies) {
                if (!seen.has(dependency)) {
                    queue.push(dependency);
                }
            }
        }
    }
    return seen;
}

/** "a", "a and b", "a, b and 2 more": a short list of names for a message. */
export function nameList(names: readonly string[], limit = 3): string {
    const quoted = names.map((name) => `"${name}"`);
    if (quoted.length <= 1) {
        return quoted.join("");
    }
    if (quoted.length <= limit) {
        return `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
    }
    return `${quoted.slice(0, limit).join(", ")} and ${quoted.length - limit} more`;
}

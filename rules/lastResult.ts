/**
 * Reuse of a pure function's last result while it is asked again about equal lists. The policy runner calls every
 * policy of the pack for one resource before it moves to the next, and hands each policy its own freshly
 * deserialized copy of the properties, so a cache keyed on the properties object would never hit; equal content does.
 * Eleven policies read each application container's environment, and a container without a role label is identified
 * from its command lines by every policy about containers; with this only the first of them reads the variables or
 * splits the shell scripts.
 */

/**
 * Wraps `compute`, a pure function of its lists' items, so a call with lists item for item equal (`Object.is`) to the
 * previous call's returns the previous result. Object items are compared by reference, so `compute` must not depend
 * on what is inside them. The lists are copied when computed, so a caller that changes its arrays afterwards cannot
 * make a stale result look current. Results are shared between callers and must not be changed.
 */
export function reuseLastResult<L extends readonly (readonly unknown[])[], R>(
    compute: (...lists: L) => R,
): (...lists: L) => R {
    let last: { readonly lists: readonly (readonly unknown[])[]; readonly result: R } | undefined;
    return (...lists: L): R => {
        if (last !== undefined && sameLists(last.lists, lists)) {
            return last.result;
        }
        const result = compute(...lists);
        last = { lists: lists.map((list) => list.slice()), result };
        return result;
    };
}

function sameLists(left: readonly (readonly unknown[])[], right: readonly (readonly unknown[])[]): boolean {
    if (left.length !== right.length) {
        return false;
    }
    for (let list = 0; list < left.length; list++) {
        const before = left[list];
        const now = right[list];
        if (before.length !== now.length) {
            return false;
        }
        for (let index = 0; index < before.length; index++) {
            if (!Object.is(before[index], now[index])) {
                return false;
            }
        }
    }
    return true;
}

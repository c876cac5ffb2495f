/**
 * Interleaved measurement: every round runs each variant once, so variants compared with each other share the
 * machine's state (other jobs run on the same 2 cores). The order alternates between rounds (A B C, then C B A) so
 * no variant always goes first. Round 0 is the warm-up and is discarded.
 */
import { log } from "./log";
import { RUNS, WARMUPS } from "./settings";

/** Thrown by a variant to drop it from the remaining rounds (e.g. a run far over its time limit). */
export class SkipVariant extends Error {}

export interface Variant<T> {
    readonly name: string;
    readonly run: () => Promise<T>;
}

export interface Interleaved<T> {
    /** Measured results by variant name, one per round, in round order. */
    readonly results: Map<string, T[]>;
    /** Variants dropped, with the reason. */
    readonly skipped: Map<string, string>;
}

export async function interleave<T>(
    label: string,
    variants: readonly Variant<T>[],
    options: { warmups?: number; runs?: number } = {},
): Promise<Interleaved<T>> {
    const warmups = options.warmups ?? WARMUPS;
    const runs = options.runs ?? RUNS;
    const results = new Map<string, T[]>(variants.map((variant) => [variant.name, []]));
    const skipped = new Map<string, string>();
    for (let round = 0; round < warmups + runs; round++) {
        const ordered = round % 2 === 0 ? variants : [...variants].reverse();
        for (const variant of ordered) {
            if (skipped.has(variant.name)) {
                continue;
            }
            const kind = round < warmups ? `warm-up ${round + 1}/${warmups}` : `run ${round - warmups + 1}/${runs}`;
            log(`${label}: ${variant.name} (${kind})`);
            try {
                const result = await variant.run();
                if (round >= warmups) {
                    results.get(variant.name)!.push(result);
                }
            } catch (error) {
                if (!(error instanceof SkipVariant)) {
                    throw error;
                }
                log(`${label}: ${variant.name} dropped: ${error.message}`);
                skipped.set(variant.name, error.message);
            }
        }
    }
    return { results, skipped };
}

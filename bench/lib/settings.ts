/**
 * Settings shared by every benchmark. `scripts/bench.sh` compiles the suite to a temp dir and sets BENCH_REPO_ROOT
 * and BENCH_BUILD; BENCH_QUICK=1 selects the smoke version (1 warm-up + 1 run, small sizes); BENCH_ONLY=a,b runs
 * only the named benchmarks; BENCH_DIAGNOSTICS=1 adds explanatory variants.
 */
import { join } from "node:path";

function required(name: string): string {
    const value = process.env[name];
    if (!value) {
        throw new Error(`${name} is not set; run the suite with \`npm run bench\` (scripts/bench.sh).`);
    }
    return value;
}

export const QUICK = process.env.BENCH_QUICK === "1";
/** BENCH_DIAGNOSTICS=1 adds variants that explain a missed goal but are not part of it (they cost time). */
export const DIAGNOSTICS = process.env.BENCH_DIAGNOSTICS === "1";
/** Untimed runs of each variant before the measured ones. */
export const WARMUPS = 1;
/** Measured runs of each variant (the brief: a median of at least 5). */
export const RUNS = QUICK ? 1 : 5;

export const REPO_ROOT = required("BENCH_REPO_ROOT");
/** Where bench.sh put the compiled suite and the freshly compiled policy pack. */
export const BUILD_DIR = required("BENCH_BUILD");
export const POLICY_PACK_BUILD = join(BUILD_DIR, "policies-bin");
export const RESULTS_DIR = join(REPO_ROOT, "bench", "results");
/** Generated files worth a look after a run (compose files); ignored by git, eslint and prettier. */
export const SCRATCH_DIR = join(RESULTS_DIR, "tmp");

export const CACHE = process.env.WEBPLATFORM_CACHE ?? join(process.env.HOME ?? "/root", ".cache", "webplatform");

/** Every container, network and volume the suite creates starts with this, so cleanup cannot touch anything else. */
export const NAME_PREFIX = "wpbench-";

/** Names of the benchmarks to run (BENCH_ONLY), or undefined for all. */
export const ONLY = process.env.BENCH_ONLY
    ? new Set(process.env.BENCH_ONLY.split(",").map((name) => name.trim()))
    : undefined;

/**
 * The production-stack previews that benchmarks 1 (policy overhead) and 2 (scaling) share: one interleaved set of
 * rounds over stack sizes (Celery worker replicas) with and without the policy pack, run once and reused, so the
 * expensive 1,000-worker previews are not run twice. Each size has its own project copy (stack `prod` from
 * Pulumi.prod.yaml with a throwaway certificate and key, like test/engine/exampleStacks.test.ts).
 */
import { log } from "./log";
import { Measured } from "./proc";
import { BenchProject, plannedCreates, policyPackStartFailure } from "./project";
import { SkipVariant, interleave } from "./rounds";
import { ONLY, QUICK } from "./settings";

/** Replicas of workers.celery-worker; "base" leaves Pulumi.prod.yaml as it is (one). */
export type Size = "base" | number;

export const SCALING_SIZES: readonly number[] = QUICK ? [2, 5, 10] : [10, 100, 1000];
export const LARGE: number = SCALING_SIZES[SCALING_SIZES.length - 1];
/** A preview slower than this is stopped, and its size dropped from the remaining rounds. */
const TIMEOUT_SECONDS = QUICK ? 300 : 240;
/**
 * A variant whose warm-up takes longer than this is not repeated: five more rounds of it would not fit the suite's
 * time budget. Its warm-up is reported as a single run (see Matrix.single). A product that meets the scaling
 * goal (≤ 15 ms per resource) previews 1,000 workers in about 15 s, far below this.
 */
const REPEAT_LIMIT_SECONDS = QUICK ? 300 : 90;

export interface PreviewRun extends Measured {
    /** Resources the preview plans to create. */
    readonly resources: number;
    /** The pack reported mandatory violations (the preview then exits 1, after doing all its work). */
    readonly policyViolations: boolean;
}

export interface Matrix {
    /** By variant key (see key()). */
    readonly results: Map<string, PreviewRun[]>;
    readonly skipped: Map<string, string>;
    /** Variants measured once (their warm-up) and then dropped as too slow to repeat. */
    readonly single: Map<string, PreviewRun>;
    /** How the pack was attached, and why, when it was not the plain `--policy-pack policies`. */
    readonly packNote?: string;
}

/** The measured runs of a variant, or its single warm-up when it was too slow to repeat (with why). */
export function runsOf(matrix: Matrix, size: Size, pack: boolean): { runs: PreviewRun[]; note?: string } {
    const name = key(size, pack);
    const runs = matrix.results.get(name) ?? [];
    if (runs.length > 0) {
        return { runs };
    }
    const once = matrix.single.get(name);
    return { runs: once ? [once] : [], note: matrix.skipped.get(name) ?? matrix.skipped.get(key(size, !pack)) };
}

export function key(size: Size, pack: boolean): string {
    return `${size === "base" ? "prod as shipped" : `${size} workers`}${pack ? " + pack" : ""}`;
}

/** Which variants the selected benchmarks need. */
function wanted(): [Size, boolean][] {
    const variants: [Size, boolean][] = [];
    if (!ONLY || ONLY.has("policy-overhead")) {
        variants.push(["base", false], ["base", true]);
    }
    for (const size of SCALING_SIZES) {
        if (!ONLY || ONLY.has("scaling") || (size === LARGE && ONLY.has("policy-overhead"))) {
            variants.push([size, false]);
        }
    }
    if (!ONLY || ONLY.has("policy-overhead")) {
        variants.push([LARGE, true]);
    }
    return variants;
}

let matrix: Promise<Matrix> | undefined;

/** Runs the matrix once per process; later callers get the same results. */
export function previewMatrix(): Promise<Matrix> {
    matrix ??= measureMatrix();
    return matrix;
}

async function measureMatrix(): Promise<Matrix> {
    const variants = wanted();
    const projects = new Map<Size, BenchProject>();
    let packNote: string | undefined;
    const tooSlow = new Map<Size, string>();
    const single = new Map<string, PreviewRun>();
    try {
        for (const [size] of variants) {
            if (projects.has(size)) {
                continue;
            }
            const project = new BenchProject(`prod-${size}`, "prod", "Pulumi.prod.yaml");
            project.setCertificate("thebot.example.com");
            if (size !== "base") {
                project.setConfig("workers.celery-worker.replicas", String(size), { path: true });
            }
            projects.set(size, project);
        }
        // Does the pack start the ordinary way? If the language host cannot run it, attach it through the shim.
        const probe = projects.values().next().value!;
        const attempt = await probe.pulumi(["preview", ...probe.policyFlags("production")]);
        const failure = policyPackStartFailure(attempt.stdout + attempt.stderr);
        if (failure) {
            packNote =
                `\`pulumi preview --policy-pack policies\` fails on this toolchain ("${failure}": the pulumi-language-nodejs ` +
                "built from sdk v3.68.0 does not implement RunPlugin, which CLI v3.259.0 uses to start a Node.js policy pack). " +
                "The pack was attached through the bench's shim instead: the CLI's older analyzer path, which starts " +
                "@pulumi/pulumi's run-policy-pack on the compiled pack (BenchProject.usePolicyShim).";
            log(`policy pack does not start (${failure}); using the shim`);
            for (const project of projects.values()) {
                project.usePolicyShim();
            }
        } else if (attempt.code !== 0 && !/\[mandatory\]/.test(attempt.stdout + attempt.stderr)) {
            throw new Error(`preview with the policy pack failed:\n${attempt.stdout}\n${attempt.stderr}`);
        }

        const calls = new Set<string>();
        const measured = await interleave<PreviewRun>(
            "preview matrix",
            variants.map(([size, pack]) => ({
                name: key(size, pack),
                run: async () => {
                    if (tooSlow.has(size)) {
                        throw new SkipVariant(tooSlow.get(size)!);
                    }
                    const project = projects.get(size)!;
                    const result = await project.pulumi(
                        ["preview", ...(pack ? project.policyFlags("production") : [])],
                        {
                            timeoutSeconds: TIMEOUT_SECONDS,
                        },
                    );
                    if (result.timedOut) {
                        const reason = `a preview of ${size} workers did not finish within ${TIMEOUT_SECONDS} s and was stopped; this size was dropped`;
                        tooSlow.set(size, reason);
                        throw new SkipVariant(reason);
                    }
                    const policyViolations = pack && /\[mandatory\]/.test(result.stdout + result.stderr);
                    if (result.code !== 0 && !policyViolations) {
                        throw new Error(
                            `preview of ${key(size, pack)} failed:\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`,
                        );
                    }
                    const resources = plannedCreates(result.stdout);
                    if (resources === undefined) {
                        throw new Error(`preview of ${key(size, pack)} printed no "+ N to create" line`);
                    }
                    const run = { ...result, stdout: "", stderr: "", resources, policyViolations };
                    if (!calls.has(key(size, pack)) && result.seconds > REPEAT_LIMIT_SECONDS) {
                        single.set(key(size, pack), run);
                        throw new SkipVariant(
                            `measured once (its warm-up, ${result.seconds.toFixed(0)} s) and not repeated: runs over ${REPEAT_LIMIT_SECONDS} s do not fit the suite's time budget`,
                        );
                    }
                    calls.add(key(size, pack));
                    return run;
                },
            })),
        );
        return { results: measured.results, skipped: measured.skipped, single, packNote };
    } finally {
        for (const project of projects.values()) {
            project.remove();
        }
    }
}

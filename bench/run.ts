/**
 * `npm run bench`: runs every benchmark in turn and writes bench/results/latest.{md,json} after each one, so an
 * interrupted run still leaves what it measured. One file per benchmark; each also runs alone with BENCH_ONLY.
 */
import { removeByPrefix } from "./lib/docker";
import { log } from "./lib/log";
import { describeMachine } from "./lib/machine";
import { stopRunning } from "./lib/proc";
import { BenchResult, buildReport, writeReport } from "./lib/report";
import { NAME_PREFIX, ONLY, QUICK } from "./lib/settings";
import * as deploy from "./deploy";
import * as policyOverhead from "./policy-overhead";
import * as policyThroughput from "./policy-throughput";
import * as scaling from "./scaling";
import * as startup from "./startup";
import * as unitTests from "./unit-tests";

/** Cheap and self-contained first; the preview matrix before policy overhead, which reuses what it learns. */
const BENCHMARKS: [string, () => Promise<BenchResult>][] = [
    ["policy-throughput", policyThroughput.run],
    ["startup", startup.run],
    ["unit-tests", unitTests.run],
    ["scaling", scaling.run],
    ["policy-overhead", policyOverhead.run],
    ["deploy", deploy.run],
];

async function main(): Promise<void> {
    const started = new Date();
    const machine = describeMachine();
    log(`${QUICK ? "quick smoke run" : "full run"} on ${machine.nproc} cores, load ${machine.loadAverageAtStart}`);
    const results: Record<string, BenchResult | { error: string }> = {};
    let failed = false;
    for (const [name, benchmark] of BENCHMARKS) {
        if (ONLY && !ONLY.has(name)) {
            continue;
        }
        log(`== ${name}`);
        try {
            results[name] = await benchmark();
        } catch (error) {
            failed = true;
            results[name] = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
            log(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
        } finally {
            removeByPrefix(NAME_PREFIX);
        }
        writeReport(buildReport(machine, started, results));
    }
    log("wrote bench/results/latest.md and latest.json");
    process.exitCode = failed ? 1 : 0;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
        stopRunning();
        removeByPrefix(NAME_PREFIX);
        process.exit(130);
    });
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});

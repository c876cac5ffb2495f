/**
 * Benchmark 5, unit tests: wall time of `npx vitest run --project unit` in the repository, interleaved with one
 * preview of the default (dev) stack, since the unit tests should take less than one preview. With BENCH_DIAGNOSTICS=1
 * a third variant runs the same tests with `--no-isolate` (every test file in one module graph) to show what
 * per-file isolation costs.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Measured, measure } from "./lib/proc";
import { BenchProject } from "./lib/project";
import { BenchResult } from "./lib/report";
import { interleave } from "./lib/rounds";
import { DIAGNOSTICS, REPO_ROOT, SCRATCH_DIR } from "./lib/settings";
import { median, ratios, row } from "./lib/stats";

const BENCHMARK = "unit-tests";

interface VitestRun {
    readonly measured: Measured;
    /** vitest's own split of its duration: transform, collect (importing test files and their modules), tests, ... */
    readonly phases: Record<string, number>;
    /** Wall time per test file, ms. */
    readonly files: Record<string, number>;
    readonly passed: number;
    readonly failed: number;
}

async function vitest(extra: string[]): Promise<VitestRun> {
    const report = join(SCRATCH_DIR, `vitest-${process.pid}.json`);
    const measured = await measure(
        "npx",
        [
            "vitest",
            "run",
            "--project",
            "unit",
            ...extra,
            "--reporter=default",
            "--reporter=json",
            `--outputFile=${report}`,
        ],
        { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: "1", CI: "1" }, sampleMemory: false },
    );
    const phases: Record<string, number> = {};
    const duration = /Duration\s+([\d.]+)(m?s)\s+\(([^)]*)\)/.exec(measured.stdout);
    for (const part of duration?.[3].split(",") ?? []) {
        const match = /(\w+)\s+([\d.]+)(m?s)/.exec(part.trim());
        if (match) {
            phases[match[1]] = Number(match[2]) / (match[3] === "ms" ? 1000 : 1);
        }
    }
    const json = JSON.parse(readFileSync(report, "utf8")) as {
        numPassedTests: number;
        numFailedTests: number;
        testResults: { name: string; startTime: number; endTime: number }[];
    };
    rmSync(report, { force: true });
    const files = Object.fromEntries(
        json.testResults.map((file) => [file.name.slice(REPO_ROOT.length + 1), file.endTime - file.startTime]),
    );
    return { measured, phases, files, passed: json.numPassedTests, failed: json.numFailedTests };
}

export async function run(): Promise<BenchResult> {
    const project = new BenchProject("unit-preview", "dev", "Pulumi.dev.yaml");
    try {
        project.setConfig("webplatform:name", "wpbench-ut");
        const { results } = await interleave<VitestRun | Measured>(BENCHMARK, [
            { name: "unit", run: () => vitest([]) },
            ...(DIAGNOSTICS ? [{ name: "unit --no-isolate", run: () => vitest(["--no-isolate"]) }] : []),
            { name: "dev preview", run: () => project.pulumi(["preview"]) },
        ]);
        const unit = results.get("unit") as VitestRun[];
        const shared = (results.get("unit --no-isolate") ?? []) as VitestRun[];
        const preview = (results.get("dev preview") as Measured[]).map((result) => result.seconds);
        const seconds = (runs: VitestRun[]) => runs.map((result) => result.measured.seconds);
        const rows = [
            row(BENCHMARK, "`npx vitest run --project unit` wall time", seconds(unit), "s", {
                goal: { op: "<", value: 10 },
            }),
            row(
                BENCHMARK,
                "unit tests / one dev-stack preview (same rounds)",
                ratios(seconds(unit), preview),
                "ratio",
                {
                    goal: { op: "<", value: 1 },
                },
            ),
            row(BENCHMARK, "dev-stack preview (repeat run, as shipped)", preview, "s"),
        ];
        if (DIAGNOSTICS) {
            rows.push(
                row(BENCHMARK, "diagnostic: the same tests with --no-isolate", seconds(shared), "s", {
                    note: "not the shipped configuration: what `isolate: false` on the unit project in vitest.config.ts would give",
                }),
            );
        }
        const notes: string[] = [];
        const last = unit[unit.length - 1];
        notes.push(
            `${last.passed} tests passed, ${last.failed} failed (last run${last.failed > 0 ? "; failures make the time meaningless" : ""}); ` +
                `vitest's own split (median, summed over its workers): ${phaseText(unit)}${DIAGNOSTICS ? `; with --no-isolate: ${phaseText(shared)}` : ""}.`,
        );
        const files = Object.keys(last.files)
            .map((file) => [file, median(unit.map((result) => result.files[file] ?? 0))] as const)
            .sort((a, b) => b[1] - a[1])
            .slice(0, 5);
        notes.push(
            `Slowest test files (median wall time in their worker): ${files.map(([file, ms]) => `${file} ${(ms / 1000).toFixed(1)} s`).join(", ")}.`,
        );
        return { rows, notes };
    } finally {
        project.remove();
    }
}

function phaseText(runs: VitestRun[]): string {
    const names = Object.keys(runs[0]?.phases ?? {});
    return names
        .map((name) => `${name} ${median(runs.map((result) => result.phases[name] ?? 0)).toFixed(1)} s`)
        .join(", ");
}

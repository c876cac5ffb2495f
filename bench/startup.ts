/**
 * Benchmark 3, start-up: `pulumi preview` of the dev stack as shipped versus the same program on the default
 * TypeScript path (type-checked every run).
 *
 * What the repository ships today: Pulumi.yaml has `runtime.options.typescript: true` and no `main`, so the CLI runs
 * index.ts (package.json "main") through the language host, which registers ts-node 7 (vendored in @pulumi/pulumi)
 * with type checking on (tsconfig.json has no `noCheck`, PULUMI_NODEJS_TRANSPILE_ONLY is unset). ts-node 7 keeps a
 * disk cache of compiled files keyed by their text and the compiler options (which include the tsconfig path); a hit
 * skips compiling, and with it type checking. So the shipped program is type-checked on every first run in a
 * checkout or copy (CI, the engine tests' temp copies) and after every edit, and not on a repeat run.
 *
 * Variants, all measured in the same rounds:
 * - type-checked: shipped project, ts-node cache off (TS_NODE_CACHE=false): the default TypeScript path, checked every run.
 * - shipped, first run: shipped project with an empty ts-node cache each run (what CI and a fresh checkout see).
 * - shipped, repeat run: shipped project with a warm ts-node cache (a developer's second `pulumi preview`).
 * - transpile-only: PULUMI_NODEJS_TRANSPILE_ONLY=true, cache off (what `noCheck: true` in the tsconfig would give).
 * - compiled: `tsc` to bin/ first, Pulumi.yaml `main: bin/index.js` and `typescript: false` (the language host
 *   here, sdk v3.68.0, never receives runtime options from CLI v3.259.0, so it still registers ts-node; nothing is
 *   compiled by it because only .js files load).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Measured, run as runCommand } from "./lib/proc";
import { BenchProject, plannedCreates } from "./lib/project";
import { BenchResult } from "./lib/report";
import { interleave } from "./lib/rounds";
import { REPO_ROOT } from "./lib/settings";
import { ratios, row } from "./lib/stats";

const BENCHMARK = "startup";
const GOAL = { op: "<=", value: 0.6 } as const;

/** A copy whose Pulumi.yaml runs a compiled bin/index.js; returns the seconds `tsc` took. */
function compileProgram(project: BenchProject): number {
    writeFileSync(
        join(project.dir, "tsconfig.build.json"),
        JSON.stringify({
            extends: "./tsconfig.json",
            compilerOptions: { outDir: "bin", sourceMap: true, noEmit: false },
            include: ["index.ts", "components/**/*.ts", "config/**/*.ts"],
        }),
    );
    const started = performance.now();
    runCommand(join(REPO_ROOT, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.build.json"], { cwd: project.dir });
    const seconds = (performance.now() - started) / 1000;
    const manifest = join(project.dir, "Pulumi.yaml");
    const text = readFileSync(manifest, "utf8");
    if (!/typescript: true/.test(text)) {
        throw new Error("Pulumi.yaml no longer has runtime.options.typescript: true; update bench/startup.ts");
    }
    writeFileSync(
        manifest,
        text.replace("typescript: true", "typescript: false").replace(/^runtime:/m, "main: bin/index.js\nruntime:"),
    );
    return seconds;
}

export async function run(): Promise<BenchResult> {
    const shipped = new BenchProject("startup", "dev", "Pulumi.dev.yaml");
    const compiled = new BenchProject("startup-js", "dev", "Pulumi.dev.yaml");
    try {
        for (const project of [shipped, compiled]) {
            project.setConfig("webplatform:name", "wpbench-st");
        }
        const compileSeconds = compileProgram(compiled);
        const preview = async (project: BenchProject, env: NodeJS.ProcessEnv): Promise<Measured> => {
            const result = await project.pulumi(["preview"], { env });
            if (result.code !== 0) {
                throw new Error(`preview failed:\n${result.stdout}\n${result.stderr}`);
            }
            return result;
        };
        const variants = [
            { name: "type-checked", run: () => preview(shipped, { TS_NODE_CACHE: "false" }) },
            {
                name: "shipped, first run",
                run: () =>
                    preview(shipped, { TS_NODE_CACHE_DIRECTORY: mkdtempSync(join(shipped.dir, ".ts-node-cold-")) }),
            },
            { name: "shipped, repeat run", run: () => preview(shipped, {}) },
            {
                name: "transpile-only",
                run: () => preview(shipped, { TS_NODE_CACHE: "false", PULUMI_NODEJS_TRANSPILE_ONLY: "true" }),
            },
            { name: "compiled", run: () => preview(compiled, { TS_NODE_CACHE: "false" }) },
        ];
        const { results } = await interleave(BENCHMARK, variants);
        const seconds = (name: string) => results.get(name)!.map((result) => result.seconds);
        const checked = seconds("type-checked");
        const rows = [
            row(BENCHMARK, "dev stack preview, type-checked (ts-node, no cache)", checked, "s"),
            row(
                BENCHMARK,
                "shipped today, first run / type-checked",
                ratios(seconds("shipped, first run"), checked),
                "ratio",
                {
                    goal: GOAL,
                    note: "the shipped configuration as CI, the engine tests and a fresh checkout run it: it is the type-checked path",
                },
            ),
            row(
                BENCHMARK,
                "shipped today, repeat run (warm ts-node cache) / type-checked",
                ratios(seconds("shipped, repeat run"), checked),
                "ratio",
                {
                    goal: GOAL,
                    note: "fast only because ts-node 7's disk cache skips compiling (and so checking) unchanged files",
                },
            ),
            row(
                BENCHMARK,
                "candidate: transpile-only / type-checked",
                ratios(seconds("transpile-only"), checked),
                "ratio",
                { goal: GOAL },
            ),
            row(
                BENCHMARK,
                "candidate: compiled main (bin/index.js) / type-checked",
                ratios(seconds("compiled"), checked),
                "ratio",
                { goal: GOAL },
            ),
        ];
        for (const name of ["shipped, first run", "shipped, repeat run", "transpile-only", "compiled"]) {
            rows.push(row(BENCHMARK, `dev stack preview, ${name}`, seconds(name), "s"));
        }
        rows.push(
            row(
                BENCHMARK,
                "one-off `tsc` of index.ts, components/, config/ for the compiled variant",
                [compileSeconds],
                "s",
            ),
        );
        return {
            rows,
            notes: [
                "Pulumi.yaml today: `runtime: {name: nodejs, options: {typescript: true}}`, no `main`; package.json `main: index.ts`; tsconfig.json without `noCheck`. The language host (sdk v3.68.0) reads runtime options only from command-line flags, which CLI v3.259.0 no longer passes, so `typescript`, `tsconfig` and `nodeargs` in Pulumi.yaml have no effect here: ts-node is always registered, with type checking unless PULUMI_NODEJS_TRANSPILE_ONLY=true or the tsconfig's `noCheck`.",
                `Each variant is a full \`pulumi preview\` of the dev stack (${plannedCreates(results.get("compiled")![0]?.stdout ?? "") ?? "?"} resources): CLI start, plugins, program start-up and registration; only the program start-up differs between variants.`,
            ],
        };
    } finally {
        shipped.remove();
        compiled.remove();
    }
}

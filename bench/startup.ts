/**
 * Benchmark 3, start-up: `pulumi preview` of the dev stack as shipped versus the same program on the default
 * TypeScript path (type-checked at every run).
 *
 * As shipped, Pulumi.yaml has `main: stack.js`: it runs index.ts compiled by tsc into bin/ (setup builds it) and
 * rebuilds first, type-checked, when a source changed since the last build (a content hash of the sources).
 *
 * Variants, all measured in the same rounds:
 * - type-checked: a copy whose Pulumi.yaml has `main: index.ts`, run through ts-node with its cache off
 *   (TS_NODE_CACHE=false): the default TypeScript path, which compiles and type-checks the program every run.
 * - shipped: the project as shipped, after setup (bin/ current).
 * - shipped, after an edit: index.ts changes before every run, so stack.js rebuilds (tsc, incremental) first.
 * - transpile-only: the `main: index.ts` copy with PULUMI_NODEJS_TRANSPILE_ONLY=true (ts-node without checking).
 */
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Measured } from "./lib/proc";
import { BenchProject, plannedCreates } from "./lib/project";
import { BenchResult } from "./lib/report";
import { interleave } from "./lib/rounds";
import { ratios, row } from "./lib/stats";

const BENCHMARK = "startup";
const GOAL = { op: "<=", value: 0.6 } as const;

/** Turns a project copy into the default TypeScript path: `main: index.ts` instead of the compiled entry. */
function runIndexTs(project: BenchProject): void {
    const manifest = join(project.dir, "Pulumi.yaml");
    const text = readFileSync(manifest, "utf8");
    if (!/^main: stack\.js$/m.test(text)) {
        throw new Error("Pulumi.yaml no longer has `main: stack.js`; update bench/startup.ts");
    }
    writeFileSync(
        manifest,
        text.replace(/^main: stack\.js$/m, "main: index.ts").replace("typescript: false", "typescript: true"),
    );
}

export async function run(): Promise<BenchResult> {
    const shipped = new BenchProject("startup", "dev", "Pulumi.dev.yaml");
    const edited = new BenchProject("startup-edit", "dev", "Pulumi.dev.yaml");
    const typescript = new BenchProject("startup-ts", "dev", "Pulumi.dev.yaml");
    try {
        for (const project of [shipped, edited, typescript]) {
            project.setConfig("webplatform:name", "wpbench-st");
        }
        runIndexTs(typescript);
        const preview = async (project: BenchProject, env: NodeJS.ProcessEnv = {}): Promise<Measured> => {
            const result = await project.pulumi(["preview"], { env });
            if (result.code !== 0) {
                throw new Error(`preview failed:\n${result.stdout}\n${result.stderr}`);
            }
            return result;
        };
        let edits = 0;
        const variants = [
            { name: "type-checked", run: () => preview(typescript, { TS_NODE_CACHE: "false" }) },
            { name: "shipped", run: () => preview(shipped) },
            {
                name: "shipped, after an edit",
                run: () => {
                    appendFileSync(join(edited.dir, "index.ts"), `// edit ${++edits}\n`);
                    return preview(edited);
                },
            },
            {
                name: "transpile-only",
                run: () => preview(typescript, { TS_NODE_CACHE: "false", PULUMI_NODEJS_TRANSPILE_ONLY: "true" }),
            },
        ];
        const { results } = await interleave(BENCHMARK, variants);
        const seconds = (name: string) => results.get(name)!.map((result) => result.seconds);
        const checked = seconds("type-checked");
        const rows = [
            row(BENCHMARK, "dev stack preview, type-checked (ts-node, no cache)", checked, "s"),
            row(
                BENCHMARK,
                "shipped (compiled bin/, current) / type-checked",
                ratios(seconds("shipped"), checked),
                "ratio",
                {
                    goal: GOAL,
                },
            ),
            row(
                BENCHMARK,
                "shipped, first preview after an edit (stack.js rebuilds) / type-checked",
                ratios(seconds("shipped, after an edit"), checked),
                "ratio",
                { note: "once per change: the rebuild type-checks, like the default path does every run" },
            ),
            row(
                BENCHMARK,
                "alternative: transpile-only ts-node / type-checked",
                ratios(seconds("transpile-only"), checked),
                "ratio",
                { note: "not shipped: it would deploy a program that does not type-check" },
            ),
        ];
        for (const name of ["shipped", "shipped, after an edit", "transpile-only"]) {
            rows.push(row(BENCHMARK, `dev stack preview, ${name}`, seconds(name), "s"));
        }
        return {
            rows,
            notes: [
                "Shipped: Pulumi.yaml `main: stack.js`, which runs bin/index.js (tsc output of index.ts, components/, config/, built by setup) after checking a content hash of the sources; a changed source makes it rebuild with `tsc -p tsconfig.build.json` (incremental) before running, and a type error stops the run with tsc's message.",
                "The toolchain's language host (sdk v3.68.0) never receives Pulumi.yaml runtime options from CLI v3.259.0, so it registers ts-node in every variant; with the compiled entry only .js files load, so ts-node compiles nothing.",
                `Each variant is a full \`pulumi preview\` of the dev stack (${plannedCreates(results.get("shipped")![0]?.stdout ?? "") ?? "?"} resources): CLI start, plugins, program start-up and registration; only the program start-up differs between variants.`,
            ],
        };
    } finally {
        shipped.remove();
        edited.remove();
        typescript.remove();
    }
}

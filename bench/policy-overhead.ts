/**
 * Benchmark 1, policy overhead: `pulumi preview` of the production stack with the policy pack (mandatory, as
 * policies/config/production.json sets it) divided by the same preview without it, per round; for the stack as
 * shipped and at 1,000 Celery worker containers. The runs are shared with benchmark 2 (lib/previewMatrix.ts).
 */
import { PACK_STARTUP_VARIANTS, measurePackStartup } from "./lib/packStartup";
import { LARGE, Size, previewMatrix, runsOf } from "./lib/previewMatrix";
import { BenchResult } from "./lib/report";
import { Row, median, row } from "./lib/stats";

const BENCHMARK = "policy-overhead";

export async function run(): Promise<BenchResult> {
    const matrix = await previewMatrix();
    const rows: Row[] = [];
    const notes: string[] = [];
    const cases: [string, Size, number][] = [
        ["production stack as shipped", "base", 1.1],
        [`production stack, ${LARGE.toLocaleString("en-US")} workers`, LARGE, 1.25],
    ];
    for (const [label, size, limit] of cases) {
        const without = runsOf(matrix, size, false);
        const withPack = runsOf(matrix, size, true);
        const note = withPack.note ?? without.note;
        const resources = without.runs[0]?.resources;
        const pairs = Math.min(without.runs.length, withPack.runs.length);
        const pair = <T>(pick: (withRun: number, withoutRun: number, index: number) => T) =>
            Array.from({ length: pairs }, (_, index) =>
                pick(withPack.runs[index].seconds, without.runs[index].seconds, index),
            );
        rows.push(
            row(
                BENCHMARK,
                `${label}: preview with pack / without`,
                pair((a, b) => a / b),
                "ratio",
                { goal: { op: "<=", value: limit }, note },
            ),
        );
        rows.push(
            row(
                BENCHMARK,
                `${label}: preview without pack (${resources ?? "?"} resources)`,
                without.runs.map((run) => run.seconds),
                "s",
            ),
        );
        rows.push(
            row(
                BENCHMARK,
                `${label}: preview with pack`,
                withPack.runs.map((run) => run.seconds),
                "s",
            ),
        );
        rows.push(
            row(
                BENCHMARK,
                `${label}: time the pack adds per resource`,
                pair((a, b) => ((a - b) * 1000) / (resources ?? NaN)),
                "ms",
            ),
        );
        if (size === LARGE) {
            rows.push(
                row(
                    BENCHMARK,
                    `${label}: peak memory of pulumi + node with pack`,
                    withPack.runs.map((run) => run.peakCliNodeMb),
                    "MiB",
                    {
                        goal: { op: "<", value: 1024 },
                        note,
                    },
                ),
            );
        }
        if (withPack.runs.some((run) => run.policyViolations)) {
            notes.push(
                `${label}: the pack reported mandatory violations, so the preview exited 1 (after doing all its work).`,
            );
        }
    }
    const startup = await measurePackStartup();
    for (const name of Object.values(PACK_STARTUP_VARIANTS)) {
        rows.push(
            row(
                BENCHMARK,
                name,
                startup.get(name)!.map((result) => result.seconds),
                "s",
            ),
        );
    }
    const startupSeconds = (name: string) => startup.get(name)!.map((result) => result.seconds);
    const before = startupSeconds(PACK_STARTUP_VARIANTS.unbundled);
    rows.push(
        row(
            BENCHMARK,
            "policy pack start-up as shipped / before the bundle (same rounds)",
            startupSeconds(PACK_STARTUP_VARIANTS.pack).map((seconds, index) => seconds / before[index]),
            "ratio",
        ),
    );
    const base = { without: runsOf(matrix, "base", false).runs, with: runsOf(matrix, "base", true).runs };
    const added = median(base.with.map((run) => run.seconds)) - median(base.without.map((run) => run.seconds));
    notes.push(
        `The engine starts the pack and waits for it to listen before it runs the program, so the pack's start-up is paid in full by every preview: ${median(startupSeconds(PACK_STARTUP_VARIANTS.pack)).toFixed(2)} s (median) of the ${added.toFixed(2)} s the pack adds to the shipped stack's preview. Before, @pulumi/policy required the whole SDK (${median(startupSeconds(PACK_STARTUP_VARIANTS.sdk)).toFixed(2)} s for a node that only loads @pulumi/pulumi, with Node's compile cache), and run-policy-pack also loaded TypeScript and ts-node for every pack, compiled or not (${median(before).toFixed(2)} s in all). Now scripts/bundle-policy-pack.mjs bundles the pack with only the SDK modules @pulumi/policy uses, and the toolchain's language host runs a pack whose package.json \`main\` is compiled JavaScript with node directly; stock hosts still start the same bundle through run-policy-pack (${median(startupSeconds(PACK_STARTUP_VARIANTS.bundleUnderRunner)).toFixed(2)} s).`,
    );
    notes.push(
        "Stack `prod` from Pulumi.prod.yaml with a throwaway certificate (`pulumi config set --path nginx.certificatePem`) and key (`--secret tlsPrivateKey`); the pack compiled fresh from policies/ and attached with `--policy-pack policies --policy-pack-config policies/config/production.json`. Ratios are per round (with and without the pack ran back to back).",
    );
    if (matrix.packNote) {
        notes.push(matrix.packNote);
    }
    return { rows, notes };
}

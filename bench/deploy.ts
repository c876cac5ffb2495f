/**
 * Benchmark 6, deploy: `pulumi up` of the dev stack from empty to every container healthy, against
 * `docker-compose up -d` of an equivalent compose file (then polling `docker inspect` until every service is
 * healthy), and against the same compose file with Docker's default healthcheck timing (30 s interval). Runs are
 * shared with benchmark 2's up scaling (lib/devUpMatrix.ts); the compose file comes from lib/compose.ts.
 */
import { DeployRun, VARIANTS, devUpMatrix } from "./lib/devUpMatrix";
import { BenchResult } from "./lib/report";
import { median, ratios, row } from "./lib/stats";

const BENCHMARK = "deploy";

export async function run(): Promise<BenchResult> {
    const { results, skipped, leftovers } = await devUpMatrix();
    const seconds = (name: string) => (results.get(name) ?? []).map((result) => result.seconds);
    const ours = seconds(VARIANTS.pulumi);
    const rows = [
        row(BENCHMARK, "pulumi up, dev stack, empty → all healthy", ours, "s", { note: skipped.get(VARIANTS.pulumi) }),
        row(
            BENCHMARK,
            "docker-compose up -d, same images/env/healthchecks → all healthy",
            seconds(VARIANTS.compose),
            "s",
        ),
        row(
            BENCHMARK,
            "docker-compose up -d, Docker's default healthcheck timing → all healthy",
            seconds(VARIANTS.composeDefault),
            "s",
        ),
        row(
            BENCHMARK,
            "pulumi up / docker-compose (same healthchecks)",
            ratios(ours, seconds(VARIANTS.compose)),
            "ratio",
            {
                goal: { op: "<=", value: 1.3 },
            },
        ),
        row(
            BENCHMARK,
            "pulumi up / docker-compose (default 30 s healthchecks)",
            ratios(ours, seconds(VARIANTS.composeDefault)),
            "ratio",
            {
                goal: { op: "<=", value: 0.3 },
            },
        ),
    ];
    const notes = [
        "pulumi: `pulumi up --yes --skip-preview` of stack `dev` (no policy pack), timed from start until docker inspect shows every container healthy. It includes steps compose has no counterpart for: CLI, plugins and program start, password generation, the self-signed certificate (openssl), the password sync and the smoke check.",
        "compose: `docker-compose up --detach` of a file generated from the exported state of the warm-up deployment (same images, commands, environment with the same secrets, users, read-only roots, tmpfs, capabilities, limits, log rotation, networks with the same aliases, volumes, healthchecks; depends_on service_healthy, and the migration as a one-shot service waited on with service_completed_successfully), then docker inspect polled every 100 ms. The default-timing file differs only in its healthchecks (test only: Docker's 30 s interval, 30 s timeout, 3 retries).",
        "After every run: `pulumi destroy` / `docker-compose down --volumes`, then every container, network and volume with the run's prefix removed. Compose files (secrets redacted) are kept in bench/results/tmp/compose/.",
        `Left over after the last run: ${leftovers.join(", ") || "nothing"}.`,
    ];
    return {
        rows,
        notes,
        sections: [
            { title: "deploy timeline (median seconds from start, from docker events)", markdown: timeline(results) },
        ],
    };
}

function timeline(results: Map<string, DeployRun[]>): string {
    const names = [...results.keys()].filter((name) => (results.get(name) ?? []).length > 0);
    const milestoneNames = Object.keys(results.get(names[0])?.[0]?.milestones ?? {});
    const lines = [`| milestone | ${names.join(" | ")} |`, `|---|${names.map(() => "---:").join("|")}|`];
    for (const milestone of [...milestoneNames, "all healthy (measured end)"]) {
        const cells = names.map((name) => {
            const values = results
                .get(name)!
                .map((result) => (milestone in result.milestones ? result.milestones[milestone] : result.seconds))
                .filter((value) => Number.isFinite(value));
            return values.length > 0 ? median(values).toFixed(1) : "n/a";
        });
        lines.push(`| ${milestone} | ${cells.join(" | ")} |`);
    }
    return lines.join("\n");
}

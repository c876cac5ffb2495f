/**
 * The dev-stack deployments that benchmarks 2 (up scaling) and 6 (deploy) share, in one interleaved set of rounds:
 * `pulumi up` of the dev stack as shipped (one worker container) and with 10 worker containers, and
 * `docker-compose up -d` of an equivalent compose file with the same healthchecks and with Docker's default timing.
 * The compose files are generated from the exported state of the first (warm-up) pulumi deployment
 * (lib/compose.ts). Each run starts from an empty engine and ends when docker inspect shows every container
 * healthy; everything is removed after each run (containers, networks, volumes).
 */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ComposeFile, composeFromState } from "./compose";
import {
    EngineEvent,
    EventRecorder,
    containerMemoryMb,
    freeLoopbackPort,
    leftovers,
    removeByPrefix,
    waitAllHealthy,
} from "./docker";
import { measure } from "./proc";
import { BenchProject } from "./project";
import { interleave } from "./rounds";
import { ONLY, QUICK, SCRATCH_DIR } from "./settings";

/** Worker containers of the larger pulumi deployment. */
export const UP_WORKERS = QUICK ? 3 : 10;
/** Containers of the dev stack besides its workers: postgres, redis, backend web, scheduler, nginx. */
const OTHER_CONTAINERS = 5;
export const COMPOSE_DIR = join(SCRATCH_DIR, "compose");

export const VARIANTS = {
    pulumi: "pulumi up",
    pulumiLarge: `pulumi up, ${UP_WORKERS} workers`,
    compose: "docker-compose, same healthchecks",
    composeDefault: "docker-compose, default healthcheck timing",
} as const;

export interface DeployRun {
    /** Start to every container healthy. */
    readonly seconds: number;
    /** Seconds from the start to each milestone, from the engine's event log. */
    readonly milestones: Record<string, number>;
    /** Peak memory of pulumi + node (pulumi runs only), MiB. */
    readonly peakCliNodeMb?: number;
    /** `pulumi destroy` after the run (pulumi runs only), s. */
    readonly destroySeconds?: number;
    /** Memory of each worker container once healthy (larger pulumi run only), MiB. */
    readonly workerMemoryMb?: number[];
}

export interface DevUpMatrix {
    readonly results: Map<string, DeployRun[]>;
    readonly skipped: Map<string, string>;
    readonly leftovers: string[];
}

/** When things happened, from the engine's own event log, relative to `start` (seconds since the epoch). */
function milestones(events: readonly EngineEvent[], start: number): Record<string, number> {
    const at = (filter: (event: EngineEvent) => boolean, pick: "first" | "last" = "first") => {
        const times = events.filter(filter).map((event) => event.time - start);
        return times.length === 0 ? NaN : pick === "first" ? Math.min(...times) : Math.max(...times);
    };
    const healthy = (pattern: RegExp) => (event: EngineEvent) =>
        event.action === "health_status: healthy" && pattern.test(event.name);
    return {
        "first container created": at((event) => event.action === "create"),
        "postgres healthy": at(healthy(/-postgres$/)),
        "redis healthy": at(healthy(/-redis$/)),
        "migration exited": at(
            (event) => event.action === "die" && event.attributes["webplatform.role"] === "migration",
        ),
        "backend web healthy": at(healthy(/-backend-web-\d+$/), "last"),
        "workers healthy": at(healthy(/-(worker|scheduler)-\d+$/), "last"),
        "nginx created": at((event) => event.action === "create" && /-nginx$/.test(event.name)),
        "nginx healthy": at(healthy(/-nginx$/)),
    };
}

function wanted(): string[] {
    const names: string[] = [];
    if (!ONLY || ONLY.has("deploy") || ONLY.has("scaling")) {
        names.push(VARIANTS.pulumi);
    }
    if (!ONLY || ONLY.has("scaling")) {
        names.push(VARIANTS.pulumiLarge);
    }
    if (!ONLY || ONLY.has("deploy")) {
        names.push(VARIANTS.compose, VARIANTS.composeDefault);
    }
    return names;
}

let matrix: Promise<DevUpMatrix> | undefined;

/** Runs the deployments once per process; later callers get the same results. */
export function devUpMatrix(): Promise<DevUpMatrix> {
    matrix ??= measureMatrix();
    return matrix;
}

interface Target {
    readonly project: BenchProject;
    readonly prefix: string;
    readonly expected: number;
}

async function pulumiTarget(label: string, name: string, workers: number): Promise<Target> {
    const project = new BenchProject(label, "dev", "Pulumi.dev.yaml");
    project.setConfig("webplatform:name", name);
    project.setConfig("nginx.httpPort", String(await freeLoopbackPort()), { path: true });
    project.setConfig("nginx.httpsPort", String(await freeLoopbackPort()), { path: true });
    if (workers !== 1) {
        project.setConfig("workers.worker.replicas", String(workers), { path: true });
    }
    removeByPrefix(`${name}-`);
    return { project, prefix: `${name}-`, expected: OTHER_CONTAINERS + workers };
}

async function measureMatrix(): Promise<DevUpMatrix> {
    const names = wanted();
    const small = await pulumiTarget("deploy", "wpbench-dp", 1);
    const large = names.includes(VARIANTS.pulumiLarge)
        ? await pulumiTarget("deploy-large", "wpbench-dp10", UP_WORKERS)
        : undefined;
    const compose = new Map<string, { path: string; file: ComposeFile }>();
    const composeProjects = {
        [VARIANTS.compose]: "wpbench-compose",
        [VARIANTS.composeDefault]: "wpbench-compose30",
    } as Record<string, string>;
    mkdirSync(COMPOSE_DIR, { recursive: true });
    for (const project of Object.values(composeProjects)) {
        removeByPrefix(`${project}-`);
    }
    try {
        const pulumiUp = (target: Target, measureWorkers: boolean) => async (): Promise<DeployRun> => {
            const recorder = new EventRecorder();
            await recorder.started();
            const wallStart = Date.now() / 1000;
            const started = performance.now();
            let destroySeconds = NaN;
            try {
                const up = await target.project.pulumi(["up", "--yes", "--skip-preview"], { timeoutSeconds: 900 });
                if (up.code !== 0) {
                    throw new Error(`pulumi up failed:\n${up.stdout.slice(-4000)}\n${up.stderr.slice(-4000)}`);
                }
                const done = await waitAllHealthy(target.prefix, target.expected, 120);
                const events = await recorder.stop(
                    (event) =>
                        event.name.startsWith(target.prefix) || event.attributes["webplatform.role"] === "migration",
                );
                if (target === small && compose.size === 0 && names.includes(VARIANTS.compose)) {
                    await writeComposeFiles(small.project, small.prefix, composeProjects, compose);
                }
                const workerMemoryMb = measureWorkers ? containerMemoryMb(`${target.prefix}worker-`) : undefined;
                const destroy = await target.project.pulumi(["destroy", "--yes", "--skip-preview"], {
                    timeoutSeconds: 900,
                });
                destroySeconds = destroy.code === 0 ? destroy.seconds : NaN;
                return {
                    seconds: (done - started) / 1000,
                    milestones: milestones(events, wallStart),
                    peakCliNodeMb: up.peakCliNodeMb,
                    destroySeconds,
                    workerMemoryMb,
                };
            } finally {
                recorder.kill();
                if (!Number.isFinite(destroySeconds)) {
                    await target.project.pulumi(["destroy", "--yes", "--skip-preview"]);
                }
                // Data volumes are retained by destroy (retainOnDelete); the next run starts from empty.
                removeByPrefix(target.prefix);
            }
        };

        const composeUp = (variant: string) => async (): Promise<DeployRun> => {
            const name = composeProjects[variant];
            const { path, file } = compose.get(name)!;
            const run = (args: string[]) =>
                measure("docker-compose", ["--project-name", name, "--file", path, "--ansi", "never", ...args], {
                    cwd: COMPOSE_DIR,
                    sampleMemory: false,
                });
            const recorder = new EventRecorder();
            await recorder.started();
            const wallStart = Date.now() / 1000;
            const started = performance.now();
            try {
                const up = await run(["up", "--detach"]);
                if (up.code !== 0) {
                    throw new Error(`docker-compose up failed:\n${up.stdout}\n${up.stderr}`);
                }
                const done = await waitAllHealthy(`${name}-`, file.services.length, 600);
                const events = await recorder.stop((event) => event.name.startsWith(`${name}-`));
                return { seconds: (done - started) / 1000, milestones: milestones(events, wallStart) };
            } finally {
                recorder.kill();
                await run(["down", "--volumes", "--remove-orphans"]);
                removeByPrefix(`${name}-`);
            }
        };

        const runners: Record<string, () => Promise<DeployRun>> = {
            [VARIANTS.pulumi]: pulumiUp(small, false),
            ...(large ? { [VARIANTS.pulumiLarge]: pulumiUp(large, true) } : {}),
            [VARIANTS.compose]: composeUp(VARIANTS.compose),
            [VARIANTS.composeDefault]: composeUp(VARIANTS.composeDefault),
        };
        const measured = await interleave<DeployRun>(
            "deployments",
            names.map((name) => ({ name, run: runners[name] })),
        );
        const prefixes = [
            small.prefix,
            ...(large ? [large.prefix] : []),
            ...Object.values(composeProjects).map((project) => `${project}-`),
        ];
        return { results: measured.results, skipped: measured.skipped, leftovers: prefixes.flatMap(leftovers) };
    } finally {
        for (const { path } of compose.values()) {
            rmSync(path, { force: true });
        }
        for (const target of [small, large]) {
            if (target) {
                removeByPrefix(target.prefix);
                target.project.remove();
            }
        }
    }
}

/** Generates both compose files from the deployed stack; the ones with secrets are 0600 and deleted at the end. */
async function writeComposeFiles(
    project: BenchProject,
    prefix: string,
    projects: Record<string, string>,
    files: Map<string, { path: string; file: ComposeFile }>,
): Promise<void> {
    const exported = project.exportState();
    for (const [variant, name] of Object.entries(projects)) {
        const hostPorts = [await freeLoopbackPort(), await freeLoopbackPort()];
        const file = composeFromState(exported, {
            project: name,
            stackPrefix: prefix,
            hostPorts,
            defaultHealthTiming: variant === VARIANTS.composeDefault,
        });
        const path = join(COMPOSE_DIR, `${name}.secret.yml`);
        writeFileSync(path, file.text, { mode: 0o600 });
        chmodSync(path, 0o600);
        writeFileSync(join(COMPOSE_DIR, `${name}.redacted.yml`), file.redacted);
        files.set(name, { path, file });
    }
}

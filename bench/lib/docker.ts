/** Docker engine helpers: cleanup by name prefix, health polling, free ports and the engine's event log. */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { NAME_PREFIX } from "./settings";

export function docker(args: readonly string[]): string {
    const result = spawnSync("docker", [...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    if (result.status !== 0) {
        throw new Error(`docker ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    }
    return result.stdout.trim();
}

function lines(text: string): string[] {
    return text.split("\n").filter((line) => line.length > 0);
}

export function containersNamed(prefix: string): string[] {
    return lines(docker(["ps", "-a", "--format", "{{.Names}}"]))
        .filter((name) => name.startsWith(prefix))
        .sort();
}

/** Removes every container, network and volume whose name starts with `prefix` (which must be one of ours). */
export function removeByPrefix(prefix: string): void {
    if (!prefix.startsWith(NAME_PREFIX)) {
        throw new Error(`refusing to remove "${prefix}*": not a ${NAME_PREFIX} name`);
    }
    const containers = containersNamed(prefix);
    if (containers.length > 0) {
        spawnSync("docker", ["rm", "-f", "-v", ...containers], { encoding: "utf8" });
    }
    const networks = lines(docker(["network", "ls", "--format", "{{.Name}}"])).filter((name) =>
        name.startsWith(prefix),
    );
    if (networks.length > 0) {
        spawnSync("docker", ["network", "rm", ...networks], { encoding: "utf8" });
    }
    const volumes = lines(docker(["volume", "ls", "--format", "{{.Name}}"])).filter((name) => name.startsWith(prefix));
    if (volumes.length > 0) {
        spawnSync("docker", ["volume", "rm", "-f", ...volumes], { encoding: "utf8" });
    }
}

/** What is left with the prefix (containers, networks, volumes); empty after a clean removal. */
export function leftovers(prefix: string): string[] {
    const networks = lines(docker(["network", "ls", "--format", "{{.Name}}"]));
    const volumes = lines(docker(["volume", "ls", "--format", "{{.Name}}"]));
    return [...containersNamed(prefix), ...networks, ...volumes].filter((name) => name.startsWith(prefix));
}

interface ContainerState {
    readonly name: string;
    readonly status: string;
    readonly health: string;
    readonly exitCode: number;
}

function states(names: readonly string[]): ContainerState[] {
    if (names.length === 0) {
        return [];
    }
    const format =
        "{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.ExitCode}}";
    const result = spawnSync("docker", ["inspect", "--format", format, ...names], { encoding: "utf8" });
    return lines(result.stdout).map((line) => {
        const [name, status, health, exitCode] = line.split(" ");
        return { name: name.replace(/^\//, ""), status, health, exitCode: Number(exitCode) };
    });
}

/**
 * Polls `docker inspect` until every long-running container with the prefix is running and healthy (containers
 * that exited 0, such as a one-shot migration, count as done). Returns the moment it saw that, from
 * performance.now(); throws after the timeout or when a container failed.
 */
export async function waitAllHealthy(prefix: string, expected: number, timeoutSeconds: number): Promise<number> {
    const deadline = performance.now() + timeoutSeconds * 1000;
    for (;;) {
        const seen = states(containersNamed(prefix));
        const running = seen.filter((state) => !(state.status === "exited" && state.exitCode === 0));
        const failed = seen.filter(
            (state) => state.health === "unhealthy" || (state.status === "exited" && state.exitCode !== 0),
        );
        if (failed.length > 0) {
            throw new Error(
                `containers failed: ${failed.map((state) => `${state.name} ${state.status} ${state.health}`).join(", ")}`,
            );
        }
        if (
            running.length >= expected &&
            running.every((state) => state.status === "running" && state.health === "healthy")
        ) {
            return performance.now();
        }
        if (performance.now() > deadline) {
            const waiting = running
                .filter((state) => state.health !== "healthy")
                .map((state) => `${state.name} ${state.health}`);
            throw new Error(
                `not all healthy after ${timeoutSeconds} s (${running.length}/${expected} up; waiting: ${waiting.join(", ")})`,
            );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

export { freeLoopbackPort } from "../../test/engine/docker";

export interface EngineEvent {
    /** Seconds since the epoch, with nanosecond precision. */
    readonly time: number;
    readonly action: string;
    readonly name: string;
    /** The container's labels and event details (exitCode, image, ...). */
    readonly attributes: Readonly<Record<string, string>>;
}

/**
 * Records container create, die and health events live while a deployment runs. (Asking the engine afterwards with
 * --since/--until loses events: it replays only a small buffer, and every healthcheck probe adds events to it.)
 */
export class EventRecorder {
    private readonly child: ChildProcess;
    private readonly chunks: Buffer[] = [];
    private readonly ready: Promise<void>;

    constructor() {
        this.child = spawn(
            "docker",
            ["events", "--format", "{{json .}}", "--filter", "type=container"].concat(
                ...["create", "die", "health_status"].map((event) => ["--filter", `event=${event}`]),
            ),
            { stdio: ["ignore", "pipe", "ignore"] },
        );
        this.child.stdout!.on("data", (chunk: Buffer) => this.chunks.push(chunk));
        // `docker events` subscribes before it prints anything; give it a moment so the first create is not missed.
        this.ready = new Promise((resolve) => setTimeout(resolve, 300));
    }

    started(): Promise<void> {
        return this.ready;
    }

    /** Stops recording (also on failure paths; harmless twice). */
    kill(): void {
        if (this.child.exitCode === null) {
            this.child.kill();
        }
    }

    /** Stops recording and returns the events that pass `filter`. */
    async stop(filter: (event: EngineEvent) => boolean): Promise<EngineEvent[]> {
        await new Promise((resolve) => setTimeout(resolve, 300));
        this.kill();
        return lines(Buffer.concat(this.chunks).toString("utf8"))
            .map(
                (line) =>
                    JSON.parse(line) as {
                        timeNano: number;
                        Action: string;
                        Actor: { Attributes?: Record<string, string> };
                    },
            )
            .map((event) => ({
                time: event.timeNano / 1e9,
                action: event.Action,
                name: event.Actor.Attributes?.name ?? "",
                attributes: event.Actor.Attributes ?? {},
            }))
            .filter(filter);
    }
}

/** Memory in use by the containers with the prefix, MiB each, from `docker stats`. */
export function containerMemoryMb(prefix: string): number[] {
    const names = containersNamed(prefix);
    if (names.length === 0) {
        return [];
    }
    const output = docker(["stats", "--no-stream", "--format", "{{.MemUsage}}", ...names]);
    return lines(output).map((line) => {
        const match = /^([\d.]+)\s*([KMG]i?B)/.exec(line);
        if (!match) {
            return NaN;
        }
        const factor = match[2].startsWith("G") ? 1024 : match[2].startsWith("K") ? 1 / 1024 : 1;
        return Number(match[1]) * factor;
    });
}

import { spawnSync } from "node:child_process";
import { createServer } from "node:net";

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freeLoopbackPort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
        });
    });
}

/** Runs the docker CLI and returns stdout; throws with stderr when it fails. */
export function docker(args: string[]): string {
    const result = spawnSync("docker", args, { encoding: "utf8" });
    if (result.status !== 0) {
        throw new Error(`docker ${args.join(" ")} failed: ${result.stderr}`);
    }
    return result.stdout.trim();
}

/** Names of containers (running or not) whose name starts with `prefix`. */
export function containersNamed(prefix: string): string[] {
    return docker(["ps", "-a", "--filter", `name=^${prefix}`, "--format", "{{.Names}}"])
        .split("\n")
        .filter((line) => line.length > 0)
        .sort();
}

/**
 * A container's name without the engine's auto-name suffix (a dash and 7 hex digits), which app replicas get so
 * that old and new can run side by side; their resource names end in the replica number. Others are unchanged.
 */
export function resourceNameOf(engineName: string): string {
    return engineName.replace(/^(.*-\d+)-[0-9a-f]{7}$/, "$1");
}

/** The engine name of the one container that the resource `resourceName` made, fixed or auto-named. */
export function engineName(resourceName: string): string {
    const found = containersNamed(resourceName).filter((name) => resourceNameOf(name) === resourceName);
    if (found.length !== 1) {
        throw new Error(`expected one container of ${resourceName}, found ${found.length}: ${found.join(", ")}`);
    }
    return found[0];
}

export function volumesNamed(prefix: string): string[] {
    return docker(["volume", "ls", "--filter", `name=^${prefix}`, "--format", "{{.Name}}"])
        .split("\n")
        .filter((line) => line.length > 0)
        .sort();
}

export function networksNamed(prefix: string): string[] {
    return docker(["network", "ls", "--filter", `name=^${prefix}`, "--format", "{{.Name}}"])
        .split("\n")
        .filter((line) => line.length > 0)
        .sort();
}

/** Removes every container, network and volume of a platform, for a clean start and end. */
export function removePlatform(prefix: string): void {
    for (const container of containersNamed(prefix)) {
        docker(["rm", "-f", "-v", container]);
    }
    for (const network of networksNamed(prefix)) {
        docker(["network", "rm", network]);
    }
    for (const volume of volumesNamed(prefix)) {
        docker(["volume", "rm", "-f", volume]);
    }
}

/** Each container's health once none is `starting` any more, or when `timeoutMs` has passed. */
export async function settledHealth(containers: string[], timeoutMs: number): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const health = containers.map(
            (container) => `${container} ${docker(["inspect", "--format", "{{.State.Health.Status}}", container])}`,
        );
        if (health.every((line) => !line.endsWith(" starting")) || Date.now() > deadline) {
            return health;
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
}

/**
 * A line a process writes when something is wrong: a warning, error or fatal level (plain, bracketed as Tini's
 * "[WARN  tini (7)]", or a JSON log's "level"), or a Python traceback.
 */
const BAD_LOG_LINES = [
    /\b(?:WARN|WARNING|ERROR|CRITICAL|FATAL)\b|Traceback/,
    /"(?:level|levelname)":\s*"(?:warn|warning|error|critical|fatal)"/i,
];

/** The lines of the containers' logs (stdout and stderr) that report a warning, an error or a traceback. */
export function badLogLines(containers: string[]): string[] {
    return containers.flatMap((container) => {
        const result = spawnSync("docker", ["logs", container], { encoding: "utf8" });
        if (result.status !== 0) throw new Error(`docker logs ${container} failed: ${result.stderr}`);
        return `${result.stdout}\n${result.stderr}`
            .split("\n")
            .filter((line) => BAD_LOG_LINES.some((pattern) => pattern.test(line)))
            .map((line) => `${container}: ${line}`);
    });
}

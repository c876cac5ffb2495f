import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "./pulumiCli";

/**
 * The three-node swarm that `scripts/swarm-nodes.sh` makes on this machine (one dockerd per network namespace),
 * as the engine tests reach it: each node's socket, the docker CLI against a node, and the script itself.
 */
export const SWARM_NODES = [1, 2, 3] as const;
export type SwarmNode = (typeof SWARM_NODES)[number];

const RUN_ROOT = process.env.WEBPLATFORM_SWARM_RUN ?? "/run/webplatform-swarm";
const SCRIPT = join(REPO_ROOT, "scripts", "swarm-nodes.sh");

/** The unix socket of node `node`'s dockerd; node 1 is the manager. */
export function nodeSocket(node: SwarmNode): string {
    return join(RUN_ROOT, `node${node}`, "docker.sock");
}

/** The Docker host (for the provider and the CLI) of node `node`. */
export function nodeHost(node: SwarmNode): string {
    return `unix://${nodeSocket(node)}`;
}

/** Node `node`'s name in the swarm (its own UTS namespace's hostname). */
export function nodeName(node: SwarmNode): string {
    return `wpswarm-node${node}`;
}

/** The network namespace node `node`'s dockerd runs in, for traffic to its published ports. */
export function nodeNamespace(node: SwarmNode): string {
    return `wpswarm-node${node}`;
}

/** Runs the docker CLI against node `node` and returns stdout; throws with stderr when it fails. */
export function nodeDocker(node: SwarmNode, args: string[], input?: string): string {
    const result = spawnSync("docker", ["-H", nodeHost(node), ...args], { encoding: "utf8", input });
    if (result.status !== 0) {
        throw new Error(`docker -H ${nodeHost(node)} ${args.join(" ")} failed: ${result.stderr}`);
    }
    return result.stdout.trim();
}

/**
 * Runs `scripts/swarm-nodes.sh <action>`; resolves with its output and how long it took. Asynchronous, so the
 * test worker keeps answering vitest while `up` loads images for a minute.
 */
export function swarmScript(
    action: "up" | "down" | "status" | "images",
): Promise<{ code: number; output: string; seconds: number }> {
    const started = Date.now();
    return new Promise((resolve) => {
        const child = spawn("bash", [SCRIPT, action], { stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
        child.on("close", (code) => resolve({ code: code ?? -1, output, seconds: (Date.now() - started) / 1000 }));
    });
}

/** Brings the swarm up (idempotent) and throws with the script's output when it fails. */
export async function swarmUp(): Promise<{ output: string; seconds: number }> {
    const result = await swarmScript("up");
    if (result.code !== 0) {
        throw new Error(`scripts/swarm-nodes.sh up failed (${result.code}):\n${result.output}`);
    }
    return result;
}

/** Whether this kernel can carry encrypted overlay traffic, as `swarm-nodes.sh status` reports it. */
export function overlayEncryption(statusOutput: string): "supported" | "unsupported" | "unknown" {
    const match = /^overlay-encryption (supported|unsupported|unknown)$/m.exec(statusOutput);
    if (!match) {
        throw new Error(`swarm-nodes.sh status printed no overlay-encryption line:\n${statusOutput}`);
    }
    return match[1] as "supported" | "unsupported" | "unknown";
}

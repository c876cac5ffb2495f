import { spawnSync } from "node:child_process";
import { quote } from "shell-quote";
import { SwarmFacts, SwarmNodeFacts } from "../../rules/swarm/readiness";
import { PREFLIGHT_TIMEOUT_MS, preflightSshArgv } from "../dockerHostCheck";
import { parseDockerHost } from "../dockerHostAddress";

/**
 * What a swarm manager says about its swarm, read with the docker CLI on the engine the stack reaches (directly,
 * or over ssh with the stack's options, like the host check): the node's swarm state, whether it is a manager,
 * and every node's role, state, availability and labels.
 */

/** The engine's swarm info on the first line, then `docker node inspect` of every node (a JSON array). */
function factsScript(socketPath?: string): string {
    return [
        ...(socketPath ? [`export DOCKER_HOST=${quote([`unix://${socketPath}`])}`] : []),
        `docker info --format '{{json .Swarm}}' || exit 1`,
        `ids=$(docker node ls -q 2>/dev/null)`,
        `if [ -n "$ids" ]; then docker node inspect $ids; else echo '[]'; fi`,
    ].join("\n");
}

/** The check as argv: sh locally (DOCKER_HOST set by the caller), or ssh running the script on the host. */
export function swarmFactsArgv(host: string | undefined, sshOptions: readonly string[] = []): string[] {
    const address = host === undefined ? undefined : parseDockerHost(host);
    if (address?.scheme !== "ssh") {
        return ["sh", "-c", factsScript()];
    }
    return preflightSshArgv(address, sshOptions, factsScript(address.socketPath));
}

interface InspectedNode {
    Description?: { Hostname?: string };
    Spec?: { Role?: string; Availability?: string; Labels?: Record<string, string> };
    Status?: { State?: string };
}

/** Parses the script's output (swarm info line, then the node array). */
export function parseSwarmFacts(host: string, output: string): SwarmFacts {
    const newline = output.indexOf("\n");
    const info = JSON.parse(newline < 0 ? output : output.slice(0, newline)) as {
        LocalNodeState?: string;
        ControlAvailable?: boolean;
    };
    const rest = newline < 0 ? "[]" : output.slice(newline + 1).trim() || "[]";
    const nodes = (JSON.parse(rest) as InspectedNode[]).map((node): SwarmNodeFacts => ({
        hostname: node.Description?.Hostname ?? "?",
        role: node.Spec?.Role ?? "?",
        state: node.Status?.State ?? "unknown",
        availability: node.Spec?.Availability ?? "unknown",
        labels: node.Spec?.Labels ?? {},
    }));
    return {
        host,
        localNodeState: info.LocalNodeState ?? "unknown",
        controlAvailable: info.ControlAvailable === true,
        nodes,
    };
}

/** Reads the facts now, blocking (the stack program calls it before it registers anything). */
export function readSwarmFactsSync(host: string | undefined, sshOptions: readonly string[] = []): SwarmFacts {
    const [file, ...args] = swarmFactsArgv(host, sshOptions);
    const result = spawnSync(file, args, {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        timeout: PREFLIGHT_TIMEOUT_MS,
        env:
            host !== undefined && parseDockerHost(host).scheme !== "ssh"
                ? { ...process.env, DOCKER_HOST: host }
                : process.env,
    });
    const shown = host ?? `${process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock"} (the local engine)`;
    if (result.status !== 0) {
        throw new Error(
            `webplatform:target: could not read the swarm state of ${shown}: ${(result.stderr ?? "").trim() || `exit ${String(result.status ?? result.signal)}`}. Fix: make sure the engine answers (docker info) and that this user may reach it.`,
        );
    }
    return parseSwarmFacts(shown, result.stdout);
}

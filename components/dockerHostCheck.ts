import { parseDockerHost } from "./dockerHostAddress";
import { shellCommand } from "./shell";

/** Seconds ssh may take to connect and finish the SSH handshake before the check gives up. */
export const PREFLIGHT_CONNECT_TIMEOUT_SECONDS = 5;

/** Longest the check waits for the whole round trip (connect, login, `docker version`). */
export const PREFLIGHT_TIMEOUT_MS = 30_000;

/**
 * ssh running one remote command on the engine's host as the Docker provider reaches it (same user, port and
 * options), with BatchMode so a missing key fails instead of prompting, and a short connect timeout. The
 * preflight's own options come first, so the caller's cannot override them.
 */
export function preflightSshArgv(
    address: { readonly user?: string; readonly port?: string; readonly hostName: string },
    sshOptions: readonly string[],
    remote: string,
): string[] {
    return [
        "ssh",
        "-o",
        "BatchMode=yes",
        "-o",
        `ConnectTimeout=${PREFLIGHT_CONNECT_TIMEOUT_SECONDS}`,
        ...(address.user ? ["-l", address.user] : []),
        ...(address.port ? ["-p", address.port] : []),
        ...sshOptions,
        "--",
        address.hostName,
        remote,
    ];
}

/**
 * The check as argv: `docker version` on the engine, through ssh exactly as the Docker provider reaches it
 * (same user, port, options and socket), but with BatchMode so a missing key fails instead of prompting, and
 * a short connect timeout. The check's own options come first, so the caller's cannot override them.
 */
export function dockerHostCheckArgv(host: string, sshOptions: readonly string[] = []): string[] {
    const address = parseDockerHost(host);
    if (address.scheme !== "ssh") {
        return ["docker", "--host", host, "version", "--format", "{{.Server.Version}}"];
    }
    const remote = [
        "docker",
        ...(address.socketPath ? [`--host=unix://${address.socketPath}`] : []),
        "version",
        "--format",
        // Double quotes keep the braces literal in whatever login shell the host runs.
        '"{{.Server.Version}}"',
    ].join(" ");
    return preflightSshArgv(address, sshOptions, remote);
}

/** The check as one shell command line (the preflight Command's `create`, and what to run by hand). */
export function dockerHostCheckCommand(host: string, sshOptions: readonly string[] = []): string {
    return shellCommand(dockerHostCheckArgv(host, sshOptions));
}

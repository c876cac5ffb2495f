import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { spawn, spawnSync } from "node:child_process";
import { shellCommand, shellQuote } from "./shell";

/** Seconds ssh may take to connect and finish the SSH handshake before the check gives up. */
export const PREFLIGHT_CONNECT_TIMEOUT_SECONDS = 5;

/** Longest the in-program check waits for the whole round trip (connect, login, `docker version`). */
export const PREFLIGHT_TIMEOUT_MS = 30_000;

/** The Docker engine addresses the check understands, taken apart. */
export type DockerHostAddress =
    | {
          readonly scheme: "ssh";
          /** Login user; unset means ssh's own default (the local user name or ~/.ssh/config). */
          readonly user?: string;
          readonly hostName: string;
          readonly port?: string;
          /** Engine socket on the host, when the address has a path (ssh://user@host/run/docker.sock). */
          readonly socketPath?: string;
      }
    | { readonly scheme: "unix" | "tcp" };

/** What went wrong, as far as the check's exit code and output tell. */
export type DockerHostProblem =
    | "sshKeyRejected"
    | "hostKeyNotTrusted"
    | "unreachable"
    | "engineUnavailable"
    | "dockerMissing"
    | "sshMissing"
    | "timeout"
    | "unknown";

export interface DockerHostDiagnosis {
    readonly problem: DockerHostProblem;
    /** One line naming the host, the problem and the fix. */
    readonly message: string;
}

/** Raised by the in-program checks; a RunError, so Pulumi prints the message alone, without a stack trace. */
export class DockerHostUnavailableError extends pulumi.RunError {
    constructor(
        message: string,
        public readonly problem: DockerHostProblem,
    ) {
        super(message);
        this.name = "DockerHostUnavailableError";
    }
}

/**
 * Takes a Docker host address apart the way the docker CLI's SSH helper does (user, host, port and optional
 * socket path; no password, query or fragment). Throws a message naming the address when it is not one.
 */
export function parseDockerHost(host: string): DockerHostAddress {
    let url: URL;
    try {
        url = new URL(host);
    } catch {
        throw new Error(`docker host ${host} is not an address. Fix: use ssh://user@host[:port] or unix:///path.`);
    }
    if (url.protocol === "unix:" || url.protocol === "tcp:") {
        return { scheme: url.protocol === "unix:" ? "unix" : "tcp" };
    }
    if (url.protocol !== "ssh:") {
        throw new Error(`docker host ${host}: unsupported scheme. Fix: use ssh://user@host[:port] or unix:///path.`);
    }
    if (url.password !== "" || url.search !== "" || url.hash !== "" || url.hostname === "") {
        throw new Error(
            `docker host ${host}: an ssh:// address takes only a user, a host, a port and a socket path. Fix: put keys and options in webplatform:dockerSshOptions.`,
        );
    }
    const path = url.pathname.replace(/^\/+$/, "");
    return {
        scheme: "ssh",
        user: url.username === "" ? undefined : decodeURIComponent(url.username),
        hostName: url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: url.port === "" ? undefined : url.port,
        socketPath: path === "" ? undefined : path,
    };
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

/** The check as one shell command line (the preflight Command's `create`, and what to run by hand). */
export function dockerHostCheckCommand(host: string, sshOptions: readonly string[] = []): string {
    return shellCommand(dockerHostCheckArgv(host, sshOptions));
}

/** One known failure: an exit code (any when unset), an ERE matched case-insensitively, and what to say. */
interface FailureRule {
    readonly problem: DockerHostProblem;
    readonly exitCode?: number;
    /** Extended regular expression, read the same by grep -Ei and by JavaScript's RegExp with the i flag. */
    readonly pattern: string;
    readonly message: string;
}

/** ssh itself exits 255 on every failure of its own; a remote command's failure keeps that command's code. */
const SSH_FAILED = 255;
const NOT_FOUND = 127;

/**
 * The failures the check recognizes, in the order they are tried. The same table drives the TypeScript
 * diagnosis and the shell classifier of the preflight Command, so both say exactly the same thing.
 */
function failureRules(host: string): FailureRule[] {
    const address = parseDockerHost(host);
    const prefix = `docker host ${host}:`;
    const engineRules = (fix: string): FailureRule[] => [
        {
            problem: "engineUnavailable",
            pattern: "Cannot connect to the Docker daemon|Is the docker daemon running",
            message: `${prefix} Docker engine not running (or user not in the docker group). Fix: ${fix}`,
        },
        {
            problem: "engineUnavailable",
            pattern: "permission denied while trying to connect to the Docker daemon",
            message: `${prefix} Docker engine not running (or user not in the docker group). Fix: ${fix}`,
        },
    ];
    if (address.scheme !== "ssh") {
        return [
            {
                problem: "dockerMissing",
                exitCode: NOT_FOUND,
                pattern: "docker: (command )?not found|command not found: docker",
                message: `${prefix} no docker CLI on this machine. Fix: install the docker CLI where pulumi runs.`,
            },
            ...engineRules(
                address.scheme === "unix"
                    ? "start Docker (sudo systemctl start docker) and add your user to the docker group (sudo usermod -aG docker $USER, then log in again)."
                    : "start Docker on that host and check that it listens on this address and that no firewall blocks it.",
            ),
        ];
    }
    const user = address.user;
    const port = address.port ?? "22";
    const unreachable = (reason: string, pattern: string): FailureRule => ({
        problem: "unreachable",
        exitCode: SSH_FAILED,
        pattern,
        message: `${prefix} unreachable (${reason}). Fix: check the host name and port ${port}, that sshd runs on the host, and that no firewall blocks SSH from this machine.`,
    });
    return [
        {
            problem: "sshMissing",
            exitCode: NOT_FOUND,
            pattern: "ssh: (command )?not found|command not found: ssh",
            message: `${prefix} no ssh client on this machine. Fix: install OpenSSH's client (apt-get install openssh-client) where pulumi runs.`,
        },
        {
            problem: "sshKeyRejected",
            exitCode: SSH_FAILED,
            pattern: "Permission denied \\(",
            message: `${prefix} SSH key rejected. Fix: add the public key to ${
                user ? `~${user}/.ssh/authorized_keys` : "the SSH user's ~/.ssh/authorized_keys"
            } on the host, or set webplatform:dockerSshOptions to the right -i key.`,
        },
        {
            problem: "hostKeyNotTrusted",
            exitCode: SSH_FAILED,
            pattern: "Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED",
            message: `${prefix} SSH host key unknown or changed. Fix: check the host's key fingerprint, then add it with ssh-keyscan -p ${port} ${address.hostName} >> ~/.ssh/known_hosts, or set webplatform:dockerSshOptions to -o UserKnownHostsFile=<a file with the key>.`,
        },
        unreachable("connection refused", "Connection refused"),
        unreachable(
            "connection timed out",
            "Connection timed out|Operation timed out|timed out during banner exchange",
        ),
        unreachable("no route to host", "No route to host|Network is unreachable"),
        unreachable("host name does not resolve", "Could not resolve hostname|Name or service not known"),
        unreachable("connection closed before login", "Connection (closed|reset) by|kex_exchange_identification"),
        {
            problem: "dockerMissing",
            exitCode: NOT_FOUND,
            pattern: "docker: (command )?not found|command not found: docker",
            message: `${prefix} no docker command on the host. Fix: install Docker Engine on the host, with docker on the PATH of non-interactive SSH sessions.`,
        },
        ...engineRules(
            `start Docker on the host (sudo systemctl start docker) and add ${user ?? "the SSH user"} to the docker group (sudo usermod -aG docker ${user ?? "<user>"}, then log in again).`,
        ),
    ];
}

function lastLine(output: string): string {
    return (
        output
            .split("\n")
            .filter((line) => line.trim() !== "")
            .pop() ?? ""
    );
}

function unknownFailure(host: string, sshOptions: readonly string[], exitCode: number, output: string): string {
    return `docker host ${host}: preflight failed (exit ${exitCode}: ${lastLine(output) || "no output"}). Fix: run this command by hand to see why: ${dockerHostCheckCommand(host, sshOptions)}`;
}

/**
 * Names the problem behind a failed check from its exit code and what it printed (stdout and stderr
 * together), in one line with the host and the fix. Pure: the unit tests feed it recorded ssh and docker output.
 */
export function diagnoseDockerHostFailure(
    host: string,
    sshOptions: readonly string[],
    exitCode: number,
    output: string,
): DockerHostDiagnosis {
    for (const rule of failureRules(host)) {
        if ((rule.exitCode === undefined || rule.exitCode === exitCode) && new RegExp(rule.pattern, "i").test(output)) {
            return { problem: rule.problem, message: rule.message };
        }
    }
    return { problem: "unknown", message: unknownFailure(host, sshOptions, exitCode, output) };
}

/**
 * The preflight Command's interpreter script: `sh -c <this> webplatform-preflight <create>` evaluates the check
 * command ($1), prints the engine version on success, and otherwise prints one diagnosis line on stderr and exits
 * 1. Generated from the same rules as diagnoseDockerHostFailure, so both say exactly the same thing.
 */
export function dockerHostClassifierScript(host: string, sshOptions: readonly string[] = []): string {
    const prefix = `docker host ${host}: preflight failed (exit `;
    const suffix = `). Fix: run this command by hand to see why: ${dockerHostCheckCommand(host, sshOptions)}`;
    return [
        'out=$(eval "$1" 2>&1)',
        "code=$?",
        `if [ "$code" -eq 0 ]; then printf '%s\\n' "$out" | tail -n 1; exit 0; fi`,
        `fail() { printf '%s\\n' "$1" >&2; exit 1; }`,
        `has() { printf '%s\\n' "$out" | grep -Eiq -e "$1"; }`,
        ...failureRules(host).map(
            (rule) =>
                `${rule.exitCode === undefined ? "" : `[ "$code" -eq ${rule.exitCode} ] && `}has ${shellQuote(
                    rule.pattern,
                )} && fail ${shellQuote(rule.message)}`,
        ),
        `last=$(printf '%s\\n' "$out" | sed '/^[[:space:]]*$/d' | tail -n 1)`,
        `fail ${shellQuote(prefix)}"$code: \${last:-no output}"${shellQuote(suffix)}`,
        "",
    ].join("\n");
}

function outcome(
    host: string,
    sshOptions: readonly string[],
    result: { status: number | null; signal: string | null; stdout: string; stderr: string; error?: Error },
    timeoutMs: number,
): string {
    const argv0 = dockerHostCheckArgv(host, sshOptions)[0];
    if ((result.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") {
        const { problem, message } = diagnoseDockerHostFailure(host, sshOptions, NOT_FOUND, `${argv0}: not found`);
        throw new DockerHostUnavailableError(message, problem);
    }
    if (result.signal !== null || (result.error as NodeJS.ErrnoException | undefined)?.code === "ETIMEDOUT") {
        throw new DockerHostUnavailableError(
            `docker host ${host}: no answer within ${timeoutMs / 1000} s. Fix: check that \`docker version\` answers on the host and that the host is not overloaded.`,
            "timeout",
        );
    }
    if (result.status === 0) {
        return lastLine(result.stdout);
    }
    const { problem, message } = diagnoseDockerHostFailure(
        host,
        sshOptions,
        result.status ?? -1,
        `${result.stdout}\n${result.stderr}`,
    );
    throw new DockerHostUnavailableError(message, problem);
}

/**
 * Runs the check now, blocking, and returns the engine's version; throws DockerHostUnavailableError with the
 * diagnosis otherwise. For the stack program to call before it registers anything, so that `pulumi preview`
 * already fails with the fix instead of `up` failing later with the provider's error.
 */
export function checkDockerHostSync(
    host: string,
    sshOptions: readonly string[] = [],
    timeoutMs: number = PREFLIGHT_TIMEOUT_MS,
): string {
    const [file, ...args] = dockerHostCheckArgv(host, sshOptions);
    const result = spawnSync(file, args, {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        timeout: timeoutMs,
    });
    return outcome(
        host,
        sshOptions,
        { ...result, stdout: result.stdout ?? "", stderr: result.stderr ?? "" },
        timeoutMs,
    );
}

/** checkDockerHostSync without blocking the event loop. */
export function checkDockerHost(
    host: string,
    sshOptions: readonly string[] = [],
    timeoutMs: number = PREFLIGHT_TIMEOUT_MS,
): Promise<string> {
    const [file, ...args] = dockerHostCheckArgv(host, sshOptions);
    return new Promise((resolve, reject) => {
        const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
        let stdout = "";
        let stderr = "";
        let error: Error | undefined;
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
        child.on("error", (spawnError) => (error = spawnError));
        child.on("close", (status, signal) => {
            try {
                resolve(outcome(host, sshOptions, { status, signal, stdout, stderr, error }, timeoutMs));
            } catch (failure) {
                reject(failure as Error);
            }
        });
    });
}

/**
 * Shell lines that make the docker CLI use the stack's ssh options. The CLI reaches an ssh:// DOCKER_HOST by
 * running `ssh` from PATH with no way to pass options (unlike the Docker provider's sshOpts), so these lines put
 * a throwaway `ssh` first on PATH that runs the real one with the options, and remove it when the shell exits.
 * Put them before a Command's script when DOCKER_HOST is ssh://; with no options they are empty.
 */
export function dockerCliSshShim(sshOptions: readonly string[]): string {
    if (sshOptions.length === 0) {
        return "";
    }
    return [
        "webplatform_ssh=$(command -v ssh) || { echo 'no ssh client on this machine' >&2; exit 1; }",
        "webplatform_ssh_shim=$(mktemp -d) || exit 1",
        `trap 'rm -rf "$webplatform_ssh_shim"' EXIT`,
        `printf '#!/bin/sh\\nexec "%s" %s "$@"\\n' "$webplatform_ssh" ${shellQuote(shellCommand(sshOptions))} > "$webplatform_ssh_shim/ssh" || exit 1`,
        `chmod 700 "$webplatform_ssh_shim/ssh" || exit 1`,
        `PATH="$webplatform_ssh_shim:$PATH"`,
        "export PATH",
        "",
    ].join("\n");
}

export interface DockerHostPreflightArgs {
    /** Docker engine address: ssh://user@host[:port][/socket], unix:///path or tcp://host:port. */
    readonly host: string;
    /** Extra ssh options, as the Docker provider gets them, e.g. ["-i", "/keys/deploy"]. Default: none. */
    readonly sshOptions?: readonly string[];
}

/**
 * A step that checks the Docker engine answers before anything is deployed on it: ssh login with the stack's
 * key and options, then `docker version`. A rejected key, an unreachable host or a stopped engine fails the
 * update with one line naming the host and the fix. Make the Docker provider depend on it, so no Docker
 * resource is attempted first.
 *
 * It runs during `pulumi up` only (commands never run at preview), and again only when the host or the options
 * change: a trigger that changed on every run would show a replacement in every preview and break
 * `--expect-no-changes`. The stack program covers every preview and every up with checkDockerHostSync.
 */
export class DockerHostPreflight extends pulumi.ComponentResource {
    public readonly run: command.local.Command;
    /** The engine's version as `docker version` reported it, e.g. "27.3.1". */
    public readonly engineVersion: pulumi.Output<string>;

    constructor(name: string, args: DockerHostPreflightArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webplatform:index:DockerHostPreflight", name, {}, opts);
        const sshOptions = [...(args.sshOptions ?? [])];
        this.run = new command.local.Command(
            `${name}-check`,
            {
                // The command provider runs `interpreter... create`: the classifier gets the check as $1.
                create: dockerHostCheckCommand(args.host, sshOptions),
                interpreter: [
                    "/bin/sh",
                    "-c",
                    dockerHostClassifierScript(args.host, sshOptions),
                    "webplatform-preflight",
                ],
                triggers: [args.host, ...sshOptions],
                logging: "stderr",
            },
            { parent: this, dependsOn: opts?.dependsOn },
        );
        this.engineVersion = this.run.stdout;
        this.registerOutputs({ engineVersion: this.engineVersion });
    }
}

import { parseDockerHost } from "./dockerHostAddress";
import { PREFLIGHT_TIMEOUT_MS, dockerHostCheckArgv, dockerHostCheckCommand } from "./dockerHostCheck";

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

/** One known failure: an exit code (any when unset), a regular expression matched case-insensitively, and what to say. */
export interface FailureRule {
    readonly problem: DockerHostProblem;
    readonly exitCode?: number;
    readonly pattern: string;
    readonly message: string;
}

/** Everything the classifier knows about one host: plain data, so a node script can receive it as JSON. */
export interface DiagnosisTable {
    /** The known failures, in the order they are tried. */
    readonly rules: readonly FailureRule[];
    /** A failure no rule knows reads `${before}<exit code>: <last line of output>${after}`. */
    readonly unknown: { readonly before: string; readonly after: string };
    /** What to say when the check did not answer in time. */
    readonly timeout: string;
    /** The program the check runs first (ssh or docker), for when it is not installed. */
    readonly program: string;
}

/** What one run of the check printed and how it ended, as node's spawn reports it. */
export interface CheckRun {
    readonly status: number | null;
    readonly signal: string | null;
    readonly stdout: string;
    readonly stderr: string;
    /** The spawn error's code, e.g. ENOENT or ETIMEDOUT. */
    readonly errorCode?: string;
}

export type CheckOutcome =
    { readonly ok: true; readonly version: string } | ({ readonly ok: false } & DockerHostDiagnosis);

/** ssh itself exits 255 on every failure of its own; a remote command's failure keeps that command's code. */
const SSH_FAILED = 255;
const NOT_FOUND = 127;

/** The failures the check recognizes for `host`, and the lines for the rest. */
export function diagnosisTable(
    host: string,
    sshOptions: readonly string[] = [],
    timeoutMs: number = PREFLIGHT_TIMEOUT_MS,
): DiagnosisTable {
    const prefix = `docker host ${host}:`;
    return {
        rules: failureRules(host),
        unknown: {
            before: `${prefix} preflight failed (exit `,
            after: `). Fix: run this command by hand to see why: ${dockerHostCheckCommand(host, sshOptions)}`,
        },
        timeout: `${prefix} no answer within ${timeoutMs / 1000} s. Fix: check that \`docker version\` answers on the host and that the host is not overloaded.`,
        program: dockerHostCheckArgv(host, sshOptions)[0],
    };
}

function failureRules(host: string): FailureRule[] {
    const address = parseDockerHost(host);
    const prefix = `docker host ${host}:`;
    const engineRules = (fix: string): FailureRule[] =>
        [
            "Cannot connect to the Docker daemon|Is the docker daemon running",
            "permission denied while trying to connect to the Docker daemon",
        ].map((pattern) => ({
            problem: "engineUnavailable",
            pattern,
            message: `${prefix} Docker engine not running (or user not in the docker group). Fix: ${fix}`,
        }));
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

/**
 * THE classifier: names the problem behind a failed check from its exit code and what it printed (stdout and
 * stderr together). Self-contained (see nodeScriptInterpreter): the preflight Command runs this same function.
 */
export function classifyFailure(table: DiagnosisTable, exitCode: number, output: string): DockerHostDiagnosis {
    for (const rule of table.rules) {
        if ((rule.exitCode === undefined || rule.exitCode === exitCode) && new RegExp(rule.pattern, "i").test(output)) {
            return { problem: rule.problem, message: rule.message };
        }
    }
    const last =
        output
            .split("\n")
            .filter((line) => line.trim() !== "")
            .pop() ?? "";
    return {
        problem: "unknown",
        message: `${table.unknown.before}${exitCode}: ${last || "no output"}${table.unknown.after}`,
    };
}

/**
 * What one run of the check means: the engine's version, or the diagnosis (a missing program, a timeout, or what
 * `classify` makes of the failure). Self-contained, like classifyFailure, which it is handed.
 */
export function checkOutcome(table: DiagnosisTable, run: CheckRun, classify: typeof classifyFailure): CheckOutcome {
    if (run.errorCode === "ENOENT") {
        return { ok: false, ...classify(table, 127, `${table.program}: not found`) };
    }
    if (run.signal !== null || run.errorCode === "ETIMEDOUT") {
        return { ok: false, problem: "timeout", message: table.timeout };
    }
    if (run.status === 0) {
        const version = run.stdout
            .split("\n")
            .filter((line) => line.trim() !== "")
            .pop();
        return { ok: true, version: version ?? "" };
    }
    return { ok: false, ...classify(table, run.status ?? -1, `${run.stdout}\n${run.stderr}`) };
}

/**
 * Names the problem behind a failed check, in one line with the host and the fix. Pure: the unit tests feed it
 * recorded ssh and docker output.
 */
export function diagnoseDockerHostFailure(
    host: string,
    sshOptions: readonly string[],
    exitCode: number,
    output: string,
): DockerHostDiagnosis {
    return classifyFailure(diagnosisTable(host, sshOptions), exitCode, output);
}

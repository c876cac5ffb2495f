import { programOf, shellWords, simpleCommands } from "./shellWords";

/**
 * Reads a `docker run` command line (a `command:local:Command` step such as the platform's migration) into its
 * labels, image and container command, so stack policies can tell a migration step from other commands and see
 * which image it runs.
 */
export interface DockerRun {
    /** `--label key=value` pairs. */
    readonly labels: Readonly<Record<string, string>>;
    /** The image argument: a reference or an engine image ID. */
    readonly image: string;
    /** Words after the image: the command run in the container. */
    readonly command: readonly string[];
}

/** The `--env` (`-e`) options of a `docker run`: what the container's environment is made of. */
export interface DockerRunEnvironment {
    /** `--env NAME=value` values set on the command line. */
    readonly values: Readonly<Record<string, string>>;
    /** `--env NAME` names whose value docker copies from its own environment (the Command's `environment`). */
    readonly copied: readonly string[];
}

/** `docker run` options that take a value in the next word (when not written as --option=value). */
const VALUE_OPTIONS = new Set([
    "--add-host",
    "--annotation",
    "-a",
    "--attach",
    "--blkio-weight",
    "--blkio-weight-device",
    "--cap-add",
    "--cap-drop",
    "--cgroup-parent",
    "--cgroupns",
    "--cidfile",
    "--cpu-count",
    "--cpu-percent",
    "--cpu-period",
    "--cpu-quota",
    "--cpu-rt-period",
    "--cpu-rt-runtime",
    "-c",
    "--cpu-shares",
    "--cpus",
    "--cpuset-cpus",
    "--cpuset-mems",
    "--detach-keys",
    "--device",
    "--device-cgroup-rule",
    "--device-read-bps",
    "--device-read-iops",
    "--device-write-bps",
    "--device-write-iops",
    "--dns",
    "--dns-option",
    "--dns-opt",
    "--dns-search",
    "--domainname",
    "--entrypoint",
    "-e",
    "--env",
    "--env-file",
    "--expose",
    "--gpus",
    "--group-add",
    "--health-cmd",
    "--health-interval",
    "--health-retries",
    "--health-start-interval",
    "--health-start-period",
    "--health-timeout",
    "-h",
    "--hostname",
    "--io-maxbandwidth",
    "--io-maxiops",
    "--ip",
    "--ip6",
    "--ipc",
    "--isolation",
    "--kernel-memory",
    "-l",
    "--label",
    "--label-file",
    "--link",
    "--link-local-ip",
    "--log-driver",
    "--log-opt",
    "--mac-address",
    "-m",
    "--memory",
    "--memory-reservation",
    "--memory-swap",
    "--memory-swappiness",
    "--mount",
    "--name",
    "--network",
    "--net",
    "--network-alias",
    "--net-alias",
    "--oom-score-adj",
    "--pid",
    "--pids-limit",
    "--platform",
    "-p",
    "--publish",
    "--pull",
    "--restart",
    "--runtime",
    "--security-opt",
    "--shm-size",
    "--stop-signal",
    "--stop-timeout",
    "--storage-opt",
    "--sysctl",
    "--tmpfs",
    "--ulimit",
    "-u",
    "--user",
    "--userns",
    "--uts",
    "-v",
    "--volume",
    "--volume-driver",
    "--volumes-from",
    "-w",
    "--workdir",
]);

/** Parses the first `docker run` (or `docker container run`) in a shell command line; undefined if there is none. */
export function parseDockerRun(commandLine: string): DockerRun | undefined {
    const run = parseRun(commandLine);
    return run && { labels: run.labels, image: run.image, command: run.command };
}

/** The `--env` options of the first `docker run` in a shell command line; undefined if there is none. */
export function dockerRunEnvironment(commandLine: string): DockerRunEnvironment | undefined {
    const run = parseRun(commandLine);
    return run && { values: run.envValues, copied: run.envCopied };
}

function parseRun(
    commandLine: string,
): (DockerRun & { envValues: Record<string, string>; envCopied: string[] }) | undefined {
    for (const command of simpleCommands(shellWords(commandLine))) {
        const start = programOf(command);
        if (!start || start.program !== "docker") {
            continue;
        }
        let index = start.index + 1;
        // Global docker options before the subcommand, e.g. `docker --host ssh://x run`.
        while (index < command.length && command[index].startsWith("-")) {
            index += ["-H", "--host", "--context", "-c", "--config", "-l", "--log-level"].includes(command[index])
                ? 2
                : 1;
        }
        if (command[index] === "container") {
            index++;
        }
        if (command[index] !== "run") {
            continue;
        }
        index++;
        const labels: Record<string, string> = {};
        const envValues: Record<string, string> = {};
        const envCopied: string[] = [];
        while (index < command.length && command[index].startsWith("-") && command[index] !== "--") {
            const word = command[index];
            const equals = word.indexOf("=");
            const flag = word.startsWith("--") && equals !== -1 ? word.slice(0, equals) : word;
            let value: string | undefined;
            if (flag !== word) {
                value = word.slice(equals + 1);
                index++;
            } else if (VALUE_OPTIONS.has(flag)) {
                value = command[index + 1];
                index += 2;
            } else {
                index++;
            }
            if ((flag === "--label" || flag === "-l") && value !== undefined) {
                const separator = value.indexOf("=");
                labels[separator === -1 ? value : value.slice(0, separator)] =
                    separator === -1 ? "" : value.slice(separator + 1);
            }
            if ((flag === "--env" || flag === "-e") && value !== undefined) {
                const separator = value.indexOf("=");
                if (separator === -1) {
                    envCopied.push(value);
                } else {
                    envValues[value.slice(0, separator)] = value.slice(separator + 1);
                }
            }
        }
        if (command[index] === "--") {
            index++;
        }
        if (index >= command.length) {
            return undefined;
        }
        return { labels, image: command[index], command: command.slice(index + 1), envValues, envCopied };
    }
    return undefined;
}

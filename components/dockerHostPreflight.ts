import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { PREFLIGHT_TIMEOUT_MS, dockerHostCheckCommand } from "./dockerHostCheck";
import { DiagnosisTable, checkOutcome, classifyFailure, diagnosisTable } from "./dockerHostDiagnosis";
import { NodeRequire, nodeScriptInterpreter } from "./nodeScript";

/**
 * The preflight step's script, run by node: the check (its `create` text, the last argument) through /bin/sh, then
 * the same checkOutcome and classifyFailure as the in-program check. It prints the engine version on success, and
 * otherwise one diagnosis line on stderr and exits 1. Self-contained (see nodeScriptInterpreter).
 */
function preflightMain(
    require: NodeRequire,
    table: DiagnosisTable,
    timeoutMs: number,
    classify: typeof classifyFailure,
    outcomeOf: typeof checkOutcome,
): void {
    const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
    const check = process.argv[process.argv.length - 1];
    const result = spawnSync("/bin/sh", ["-c", check], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        timeout: timeoutMs,
    });
    const outcome = outcomeOf(
        table,
        {
            status: result.status,
            signal: result.signal,
            stdout: result.stdout ?? "",
            stderr: result.stderr ?? "",
            errorCode: (result.error as NodeJS.ErrnoException | undefined)?.code,
        },
        classify,
    );
    if (outcome.ok) {
        process.stdout.write(`${outcome.version}\n`);
    } else {
        process.stderr.write(`${outcome.message}\n`);
        process.exitCode = 1;
    }
}

/** The preflight Command's interpreter: node running preflightMain with the host's diagnosis table. */
export function dockerHostPreflightInterpreter(host: string, sshOptions: readonly string[] = []): string[] {
    return nodeScriptInterpreter(
        preflightMain,
        diagnosisTable(host, sshOptions, PREFLIGHT_TIMEOUT_MS),
        PREFLIGHT_TIMEOUT_MS,
        classifyFailure,
        checkOutcome,
    );
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
 * resource is attempted first (DockerTarget does).
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
                // The command provider runs `interpreter... create`: the script finds the check as its last argument.
                create: dockerHostCheckCommand(args.host, sshOptions),
                interpreter: dockerHostPreflightInterpreter(args.host, sshOptions),
                triggers: [args.host, ...sshOptions],
                logging: "stderr",
            },
            { parent: this, dependsOn: opts?.dependsOn },
        );
        this.engineVersion = this.run.stdout;
        this.registerOutputs({ engineVersion: this.engineVersion });
    }
}

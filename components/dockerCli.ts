import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { quote } from "shell-quote";
import { DockerCliTarget, dockerCliTargetOf } from "./dockerTarget";
import { NodeRequire, nodeScriptInterpreter } from "./nodeScript";

/**
 * The `ssh` the docker CLI finds first on PATH when the target has ssh options: it runs the real ssh (named by
 * WEBPLATFORM_SSH) with the options in front of the CLI's own arguments. The docker CLI reaches an ssh:// engine
 * by running plain `ssh` with no way to pass options (unlike the Docker provider's sshOpts), so this is the only
 * way to give it the stack's key and known-hosts file. The options are quoted by shell-quote.
 */
export function sshWrapperScript(sshOptions: readonly string[]): string {
    return `#!/bin/sh\nexec "$WEBPLATFORM_SSH" ${quote([...sshOptions])} "$@"\n`;
}

/**
 * Runs a docker CLI script (the last argument) with the ssh wrapper first on PATH, written by node into a private
 * temporary directory that is removed when the script ends. Self-contained (see nodeScriptInterpreter).
 */
function withSshWrapperMain(require: NodeRequire, wrapper: string): void {
    const fs = require("node:fs") as typeof import("node:fs");
    const os = require("node:os") as typeof import("node:os");
    const path = require("node:path") as typeof import("node:path");
    const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
    const script = process.argv[process.argv.length - 1];
    const searchPath = process.env.PATH ?? "";
    const ssh = searchPath
        .split(path.delimiter)
        .map((directory) => path.join(directory === "" ? "." : directory, "ssh"))
        .find((file) => {
            try {
                fs.accessSync(file, fs.constants.X_OK);
                return fs.statSync(file).isFile();
            } catch {
                return false;
            }
        });
    if (ssh === undefined) {
        process.stderr.write("no ssh client on this machine\n");
        process.exitCode = 1;
        return;
    }
    const shim = fs.mkdtempSync(path.join(os.tmpdir(), "webplatform-ssh-"));
    try {
        fs.writeFileSync(path.join(shim, "ssh"), wrapper, { mode: 0o700 });
        const result = spawnSync("/bin/sh", ["-c", script], {
            stdio: "inherit",
            env: { ...process.env, PATH: `${shim}${path.delimiter}${searchPath}`, WEBPLATFORM_SSH: ssh },
        });
        process.exitCode = result.status ?? 1;
    } finally {
        fs.rmSync(shim, { recursive: true, force: true });
    }
}

/**
 * The interpreter a docker CLI step runs its script with: plain /bin/sh, or, when the target has ssh options,
 * node putting the ssh wrapper in front of the script (the step's stdin, stdout, stderr and exit code pass through).
 */
export function dockerCliInterpreter(target: DockerCliTarget): string[] {
    if (target.sshOptions.length === 0) {
        return ["/bin/sh", "-c"];
    }
    return nodeScriptInterpreter(withSshWrapperMain, sshWrapperScript(target.sshOptions));
}

/** The environment a docker CLI step adds to its own: DOCKER_HOST for a target with a host. */
export function dockerCliEnvironment(target: DockerCliTarget): Record<string, string> {
    return target.host === undefined ? {} : { DOCKER_HOST: target.host };
}

export interface DockerCliStepArgs {
    /** POSIX shell script; every `docker` in it reaches the engine of the step's DockerTarget. */
    readonly script: pulumi.Input<string>;
    /** Text on the script's stdin: the way to hand it a secret, which then appears in no process's argv. */
    readonly stdin?: pulumi.Input<string>;
    /** Variables added to the script's environment. */
    readonly environment?: Readonly<Record<string, pulumi.Input<string>>>;
    /** Any change in these runs the step again (as a replacement). */
    readonly triggers: pulumi.Input<unknown>[];
    /** What the step streams to the update's log. Default: stdout and stderr. */
    readonly logging?: "stdout" | "stderr" | "stdoutAndStderr" | "none";
    /** The step handles secrets: stdin and environment travel as secrets, stdout and stderr are kept secret. */
    readonly secret?: boolean;
}

/**
 * THE way this library runs the docker CLI during `pulumi up` (password sync, smoke check): a command:local:Command
 * whose docker CLI reaches the engine of the DockerTarget the parent component inherited, with DOCKER_HOST and the
 * ssh options set here and nowhere else. `opts.parent` is that component.
 */
export function dockerCliStep(
    name: string,
    args: DockerCliStepArgs,
    opts: pulumi.CustomResourceOptions & { readonly parent: pulumi.Resource },
): command.local.Command {
    const target = dockerCliTargetOf(opts.parent, name);
    const environment = { ...(args.environment ?? {}), ...dockerCliEnvironment(target) };
    const hasEnvironment = Object.keys(environment).length > 0;
    const secret = <T>(value: pulumi.Input<T>) => (args.secret ? pulumi.secret(value) : value);
    return new command.local.Command(
        name,
        {
            create: args.script,
            interpreter: dockerCliInterpreter(target),
            stdin: args.stdin === undefined ? undefined : secret(args.stdin),
            environment: hasEnvironment ? secret(environment) : undefined,
            triggers: args.triggers,
            logging: args.logging ?? "stdoutAndStderr",
        },
        { ...opts, additionalSecretOutputs: args.secret ? ["stdout", "stderr"] : opts.additionalSecretOutputs },
    );
}

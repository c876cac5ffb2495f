import * as pulumi from "@pulumi/pulumi";
import { spawn, spawnSync } from "node:child_process";
import { PREFLIGHT_TIMEOUT_MS, dockerHostCheckArgv } from "./dockerHostCheck";
import { CheckRun, DockerHostProblem, checkOutcome, classifyFailure, diagnosisTable } from "./dockerHostDiagnosis";

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

function versionOrThrow(host: string, sshOptions: readonly string[], run: CheckRun, timeoutMs: number): string {
    const outcome = checkOutcome(diagnosisTable(host, sshOptions, timeoutMs), run, classifyFailure);
    if (!outcome.ok) {
        throw new DockerHostUnavailableError(outcome.message, outcome.problem);
    }
    return outcome.version;
}

function errorCode(error: Error | undefined): string | undefined {
    return (error as NodeJS.ErrnoException | undefined)?.code;
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
    const result = spawnSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    return versionOrThrow(
        host,
        sshOptions,
        {
            status: result.status,
            signal: result.signal,
            stdout: result.stdout ?? "",
            stderr: result.stderr ?? "",
            errorCode: errorCode(result.error),
        },
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
                resolve(
                    versionOrThrow(
                        host,
                        sshOptions,
                        { status, signal, stdout, stderr, errorCode: errorCode(error) },
                        timeoutMs,
                    ),
                );
            } catch (failure) {
                reject(failure as Error);
            }
        });
    });
}

import { execFile, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { diagnoseDockerHostFailure } from "../../components/dockerHostDiagnosis";
import { dockerHostPreflightInterpreter } from "../../components/dockerHostPreflight";
import { shellQuote } from "../../components/shell";
import { FAILURES, HOST, KEY } from "./dockerHostFailures";

describe("diagnoseDockerHostFailure", () => {
    it.each(FAILURES)("%s", (_case, host, exitCode, output, problem, message) => {
        expect(diagnoseDockerHostFailure(host, KEY, exitCode, output)).toEqual({ problem, message });
    });
});

describe("the preflight Command's script", () => {
    /** Runs the script as the command provider does (interpreter, then create), with a stand-in check. */
    function classify(host: string, exitCode: number, output: string) {
        const fakeCheck = `printf '%s' ${shellQuote(output)} >&2; exit ${exitCode}`;
        const [program, ...args] = dockerHostPreflightInterpreter(host, KEY);
        return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
            const child = execFile(program, [...args, fakeCheck], { encoding: "utf8" }, (_error, stdout, stderr) =>
                resolve({ status: child.exitCode, stdout, stderr }),
            );
        });
    }

    // Each case waits on its own process, so the cases run side by side.
    it.concurrent.for(FAILURES)(
        "says exactly what the TypeScript diagnosis says: %s",
        async ([, host, exitCode, output, , message], { expect }) => {
            expect(await classify(host, exitCode, output)).toEqual({
                status: 1,
                stdout: "",
                stderr: `${message}\n`,
            });
        },
    );

    it("prints only the engine version when the check passes, whatever ssh warned about before it", () => {
        const [program, ...args] = dockerHostPreflightInterpreter(HOST, KEY);
        const result = spawnSync(
            program,
            [
                ...args,
                "echo \"Warning: Permanently added '203.0.113.10' (ED25519) to the list of known hosts.\" >&2; echo 27.3.1",
            ],
            { encoding: "utf8" },
        );
        expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
            status: 0,
            stdout: "27.3.1\n",
            stderr: "",
        });
    });
});

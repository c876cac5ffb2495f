import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DEFAULT_CONTENT_SECURITY_POLICY, securityHeaders, uploadHeaders } from "../../rules/securityHeaders";

/**
 * Runs a shell script of the docker CLI steps (the smoke check) with sh against a stand-in `docker` on PATH,
 * labelled as such: a fast unit test of each branch of the script, not of the engine. The stand-in answers each
 * call by the first of `caseArms` (sh `case` arms over "$*") that matches, and records every call.
 */
export function runWithFakeDocker(
    script: string,
    caseArms: readonly string[],
    /** Variables added to the script's environment; `node` (this test's) is on its PATH too. Default: none. */
    environment: Readonly<Record<string, string>> = {},
): { code: number | null; stdout: string; stderr: string; calls: string[] } {
    const dir = mkdtempSync(join(tmpdir(), "wp-fake-docker-"));
    try {
        const calls = join(dir, "calls");
        writeFileSync(
            join(dir, "docker"),
            [
                "#!/bin/sh",
                `echo "$*" >> ${calls}`,
                `case "$*" in`,
                ...caseArms.map((arm) => `  ${arm}`),
                "esac",
                "",
            ].join("\n"),
        );
        chmodSync(join(dir, "docker"), 0o755);
        const result = spawnSync("sh", ["-c", script], {
            encoding: "utf8",
            env: { ...environment, PATH: `${dir}:${dirname(process.execPath)}:/usr/bin:/bin` },
        });
        const recorded = existsSync(calls) ? readFileSync(calls, "utf8").trim().split("\n") : [];
        return { code: result.status, stdout: result.stdout, stderr: result.stderr, calls: recorded };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

export const HEADER_SETTINGS = {
    hstsMaxAgeSeconds: 63072000,
    hstsPreload: false,
    contentSecurityPolicy: DEFAULT_CONTENT_SECURITY_POLICY,
};
export const SECURITY_HEADERS = securityHeaders(HEADER_SETTINGS);
export const UPLOAD_HEADERS = uploadHeaders(HEADER_SETTINGS);

/** A response with these headers as curl -D prints it (CRLF line ends), names lower-cased as HTTP/2 sends them. */
export const response = (status: string, headers: ReadonlyArray<readonly [string, string]>) =>
    [status, ...headers.map(([name, value]) => `${name.toLowerCase()}: ${value}`)].join("\r\n");

/** What a healthy platform answers on HTTPS, for the stand-in's `curl -D -` arm: printf '%s\\r\\n' "…". */
export const HEALTHY_RESPONSE = response("HTTP/2 200", SECURITY_HEADERS);

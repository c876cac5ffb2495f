import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Runs a shell script of the docker CLI steps (the smoke check) with sh against a stand-in `docker` on PATH,
 * labelled as such: a fast unit test of each branch of the script, not of the engine. The stand-in answers each
 * call by the first of `caseArms` (sh `case` arms over "$*") that matches, and records every call.
 */
export function runWithFakeDocker(
    script: string,
    caseArms: readonly string[],
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
        const result = spawnSync("sh", ["-c", script], { encoding: "utf8", env: { PATH: `${dir}:/usr/bin:/bin` } });
        const recorded = existsSync(calls) ? readFileSync(calls, "utf8").trim().split("\n") : [];
        return { code: result.status, stdout: result.stdout, stderr: result.stderr, calls: recorded };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** The response headers of a healthy platform, as a printf format for the stand-in's answer to `curl -D -`. */
export const HEALTHY_HEADERS = [
    "HTTP/1.1 200 OK",
    "Strict-Transport-Security: max-age=31536000",
    "X-Content-Type-Options: nosniff",
    "X-Frame-Options: DENY",
    "Referrer-Policy: same-origin",
].join("\\r\\n");

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { smokeCheckScript } from "../../components/smokeCheck";
import {
    HEADER_SETTINGS,
    HEALTHY_RESPONSE,
    SECURITY_HEADERS,
    UPLOAD_HEADERS,
    response,
    runWithFakeDocker,
} from "./fakeDocker";

/**
 * The smoke-check script run by sh against a stand-in `docker` on PATH that answers like the engine would and
 * records every call, so each branch of the script (pass, each failure, the WebSocket retry) is exercised.
 */
const SETTINGS = {
    containers: ["wp-postgres", "wp-nginx"],
    proxyContainer: "wp-nginx",
    proxyHttpsPort: 8443,
    domain: "shop.example.com",
    paths: ["/api/health"],
    headers: SECURITY_HEADERS,
    uploadHeaders: UPLOAD_HEADERS,
    websocketPaths: ["/ws/"],
};

const UPLOAD_RESPONSE = response("HTTP/2 404", UPLOAD_HEADERS);

/** A start time long before the check. */
const LONG_AGO = "2026-01-01T00:00:00.123456789Z";

describe("smokeCheckScript", () => {
    /**
     * Runs the script with a fake docker. `state` answers `docker inspect`; `upgrade` answers the WebSocket
     * request for each --max-time it is given ("000" is curl's code when the time limit hits before an answer).
     */
    function runScript(options: {
        state?: string;
        /** Answers of successive `docker inspect` calls, the last one repeated; instead of `state`. */
        states?: string[];
        headers?: string;
        uploadHeaders?: string;
        pathCode?: string;
        upgrade?: string;
        /** The recovery window; a state started "now" needs one that a loaded machine cannot outrun. */
        recoveredAfterSeconds?: number;
    }) {
        const states = options.states ?? [options.state ?? `running healthy 0 0 ${LONG_AGO}`];
        const dir = mkdtempSync(join(tmpdir(), "wp-smoke-states-"));
        try {
            states.forEach((state, index) => writeFileSync(join(dir, `state-${index}`), state));
            return runWithFakeDocker(
                smokeCheckScript({ ...SETTINGS, recoveredAfterSeconds: options.recoveredAfterSeconds ?? 1 }),
                [
                    // The nth inspect answers state-n, or the last state once they run out.
                    `inspect*) n=$(( $(cat ${dir}/count 2>/dev/null || echo 0) + 1 )); echo $n > ${dir}/count; [ -f ${dir}/state-$((n - 1)) ] || n=${states.length}; cat ${dir}/state-$((n - 1)) ;;`,
                    `logs*) printf 'FATAL: could not open the data directory\\nexiting\\n' ;;`,
                    `*"-D -"*/media/*) printf '%s\\r\\n' "${options.uploadHeaders ?? UPLOAD_RESPONSE}" ;;`,
                    `*"-D -"*) printf '%s\\r\\n' "${options.headers ?? HEALTHY_RESPONSE}" ;;`,
                    `*"Upgrade: websocket"*) case "$*" in ${options.upgrade ?? "*) printf 101 ;;"} esac ;;`,
                    `*) printf '${options.pathCode ?? "200"}' ;;`,
                ],
            );
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    }

    it("passes a healthy platform and reports one line per check", () => {
        const result = runScript({});
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
        expect(result.stdout.trim().split("\n")).toEqual([
            "ok: wp-postgres running, healthy, never restarted",
            "ok: wp-nginx running, healthy, never restarted",
            "ok: HTTPS answers with Strict-Transport-Security, X-Content-Type-Options, X-Frame-Options, Referrer-Policy, Content-Security-Policy, Cross-Origin-Opener-Policy, Permissions-Policy",
            "ok: /media/ answers with Strict-Transport-Security, X-Content-Type-Options, X-Frame-Options, Referrer-Policy, Content-Security-Policy, Cross-Origin-Opener-Policy, Permissions-Policy, Content-Disposition",
            "ok: GET /api/health 200",
            "ok: WebSocket upgrade on /ws/ 101",
        ]);
        const upgrades = result.calls.filter((call) => call.includes("Upgrade: websocket"));
        expect(upgrades).toHaveLength(1);
        expect(upgrades[0]).toContain("exec wp-nginx curl -sk --http1.1 --max-time 0.5 ");
        expect(upgrades[0]).toContain("Host: shop.example.com https://127.0.0.1:8443/ws/");
    });

    it("gives a slow WebSocket upgrade a second, longer try", () => {
        const result = runScript({ upgrade: '*"--max-time 0.5"*) printf 000 ;; *"--max-time 5"*) printf 101 ;;' });
        expect(result.code).toBe(0);
        expect(result.stdout).toContain("ok: WebSocket upgrade on /ws/ 101");
        const limits = result.calls
            .filter((call) => call.includes("Upgrade: websocket"))
            .map((call) => /--max-time (\S+)/.exec(call)?.[1]);
        expect(limits).toEqual(["0.5", "5"]);
    });

    it("fails with the answer when the upgrade is refused on both tries", () => {
        const result = runScript({ upgrade: "*) printf 502 ;;" });
        expect(result.code).toBe(1);
        expect(result.stderr.trim()).toBe("smoke check failed: WebSocket upgrade on /ws/ answered 502");
    });

    it("passes a container that recovered from a crash long ago: the restart count alone is history", () => {
        const result = runScript({ state: `running healthy 1 137 ${LONG_AGO}` });
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(
            /^ok: wp-postgres running, healthy, up \d{6,}s since it recovered from 1 restarts$/m,
        );
    });

    it("watches a container restarted just now and passes it when it stays up", () => {
        const now = new Date().toISOString();
        const started = Date.now();
        const result = runScript({ state: `running healthy 1 137 ${now}`, recoveredAfterSeconds: 3 });
        expect(result.stderr).toBe("");
        expect(result.stdout).toContain("ok: wp-postgres running, healthy, up 3s since it recovered from 1 restarts");
        expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    });

    it("fails a container restarting now with its state, exit code, restart count and last log lines", () => {
        const now = new Date().toISOString();
        const result = runScript({
            states: [`running healthy 2 1 ${now}`, `restarting starting 3 1 ${now}`],
            recoveredAfterSeconds: 3,
        });
        expect(result.code).toBe(1);
        expect(result.stderr.trim()).toBe(
            "smoke check failed: wp-postgres is restarting: restarting, starting (restarted 3 times, last exit code 1); its last log lines:\nFATAL: could not open the data directory\nexiting",
        );
        expect(result.calls.some((call) => call.includes("curl"))).toBe(false);
    });

    it("fails a container that stopped after its restarts ran out, with its exit code", () => {
        const result = runScript({ state: `exited unhealthy 5 3 ${LONG_AGO}` });
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(
            "smoke check failed: wp-postgres is exited (restarted 5 times, last exit code 3)",
        );
        expect(result.calls.filter((call) => call.startsWith("logs"))).toEqual(["logs --tail 10 wp-postgres"]);
    });

    it("fails an unhealthy container", () => {
        const result = runScript({ state: `running unhealthy 0 0 ${LONG_AGO}` });
        expect(result.stderr.trim().split("\n")[0]).toBe(
            "smoke check failed: wp-postgres is unhealthy (restarted 0 times, last exit code 0); its last log lines:",
        );
    });

    it("fails a response without HSTS", () => {
        const result = runScript({ headers: HEALTHY_RESPONSE.replace("strict-transport-security", "x-other") });
        expect(result.code).toBe(1);
        expect(result.stderr.trim()).toBe(
            "smoke check failed: HTTPS response lacks Strict-Transport-Security: max-age=63072000; includeSubDomains",
        );
    });

    it("fails a header with another value than the configured one", () => {
        const result = runScript({ headers: HEALTHY_RESPONSE.replace("default-src 'self'", "default-src *") });
        expect(result.code).toBe(1);
        expect(result.stderr.trim()).toBe(
            `smoke check failed: HTTPS response lacks Content-Security-Policy: ${HEADER_SETTINGS.contentSecurityPolicy}`,
        );
    });

    it("fails uploads served inline, and asks for them under /media/", () => {
        const result = runScript({ uploadHeaders: UPLOAD_RESPONSE.replace("content-disposition: attachment", "x: y") });
        expect(result.code).toBe(1);
        expect(result.stderr.trim()).toBe("smoke check failed: /media/ response lacks Content-Disposition: attachment");
        expect(result.calls.some((call) => call.endsWith("https://127.0.0.1:8443/media/smoke-check-absent"))).toBe(
            true,
        );
    });

    it("fails a path that does not answer 200", () => {
        const result = runScript({ pathCode: "503" });
        expect(result.code).toBe(1);
        expect(result.stderr.trim()).toBe("smoke check failed: GET /api/health answered 503");
    });
});

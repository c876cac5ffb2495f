import { describe, expect, it } from "vitest";
import { smokeCheckScript } from "../../components/smokeCheck";
import { HEALTHY_RESPONSE, SECURITY_HEADERS, runWithFakeDocker } from "./fakeDocker";

/**
 * The smoke check's application judges (database, pending migrations, logs) run by sh against a stand-in
 * `docker` on PATH that answers like the engine would and records every call, one case per branch.
 */
const SETTINGS = {
    containers: ["wp-postgres"],
    proxyContainer: "wp-nginx",
    proxyHttpsPort: 8443,
    domain: "shop.example.com",
    paths: [],
    headers: SECURITY_HEADERS,
    websocketPaths: [],
    application: {
        database: { container: "wp-postgres", name: "shop", user: "shop_owner" },
        pendingMigrations: { container: "wp-backend-web-1", command: ["python", "manage.py", "migrate", "--check"] },
        applicationContainers: ["wp-backend-web-1", "wp-worker-1"],
        datastores: ["wp-postgres"],
        datastoreRecoverySeconds: 30,
    },
};

describe("smoke check application judges", () => {
    /** Each option is a sh `case` body answering that kind of call; the default is a healthy platform. */
    function runScript(
        options: {
            ready?: string;
            migrations?: string;
            webLogs?: string;
            workerLogs?: string;
            datastore?: string;
        } = {},
        settings: Parameters<typeof smokeCheckScript>[0] = SETTINGS,
    ) {
        return runWithFakeDocker(smokeCheckScript(settings), [
            `"inspect -f {{.RestartCount}} {{.State.StartedAt}} wp-postgres") echo '${options.datastore ?? "0 2026-01-01T00:00:00Z"}' ;;`,
            `inspect*) echo 'running healthy 0' ;;`,
            `"exec wp-postgres pg_isready"*) ${options.ready ?? "echo '127.0.0.1:5432 - accepting connections'"} ;;`,
            `"exec wp-backend-web-1 python manage.py migrate --check") ${options.migrations ?? "exit 0"} ;;`,
            `"logs "*"wp-backend-web-1") ${options.webLogs ?? "echo '[INFO] Booting worker with pid: 8'"} ;;`,
            `"logs "*"wp-worker-1") ${options.workerLogs ?? "echo 'celery@w1 ready.' >&2"} ;;`,
            `*"-D -"*) printf '%s\\r\\n' "${HEALTHY_RESPONSE}" ;;`,
            `*) echo "unexpected docker $*" >&2; exit 99 ;;`,
        ]);
    }

    it("judges application logs only from the end of a restarted datastore's recovery", () => {
        // PostgreSQL restarted by Docker at 2026-12-02T03:27:58Z: errors logged before it was back are the crash's.
        const result = runScript({ datastore: "1 2026-12-02T03:27:58.123456789Z" });
        const since = String(Date.parse("2026-12-02T03:27:58Z") / 1000 + 30);
        expect(result.calls).toContain(`logs --since ${since} wp-backend-web-1`);
        expect(result.calls).toContain(`logs --since ${since} wp-worker-1`);
    });

    it("checks the database, the migrations and each application log, one line each", () => {
        const result = runScript();
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
        expect(result.stdout.trim().split("\n").slice(1, 5)).toEqual([
            "ok: wp-postgres accepts connections to shop as shop_owner",
            "ok: no pending migrations (python manage.py migrate --check in wp-backend-web-1)",
            "ok: wp-backend-web-1 logged no error or traceback",
            "ok: wp-worker-1 logged no error or traceback",
        ]);
        expect(result.calls).toContain("exec wp-postgres pg_isready -h 127.0.0.1 -U shop_owner -d shop");
    });

    it("fails with pg_isready's answer when the database refuses connections", () => {
        const result = runScript({ ready: "echo '127.0.0.1:5432 - rejecting connections'; exit 1" });
        expect(result.code).toBe(1);
        expect(result.stderr.trim()).toBe(
            "smoke check failed: wp-postgres does not accept connections to shop: 127.0.0.1:5432 - rejecting connections",
        );
        expect(result.calls.some((call) => call.includes("migrate"))).toBe(false);
    });

    it("fails a pending migration, naming the probe and showing what is pending", () => {
        const result = runScript({
            migrations: "echo 'Operations to perform:'; echo '  jobs.0002_job_priority'; exit 1",
        });
        expect(result.code).toBe(1);
        expect(result.stderr.trim().split("\n")).toEqual([
            "smoke check failed: migrations are pending: `python manage.py migrate --check` in wp-backend-web-1 exited non-zero (run the migration step, or ship the missing migration in the image): Operations to perform:",
            "  jobs.0002_job_priority",
        ]);
        expect(result.calls.some((call) => call.startsWith("logs"))).toBe(false);
    });

    it.each([
        ["an ERROR level line", "echo '[2026-12-02 01:00:00 +0000] [8] [ERROR] Exception in worker process'"],
        ["a traceback", "echo 'Traceback (most recent call last):'; echo '  File \"x.py\"'"],
        ["a JSON log at error level", 'echo \'{"level": "error", "message": "redis down"}\''],
        ["a CRITICAL line on stderr", "echo 'CRITICAL:root:cannot start' >&2"],
    ])("fails on %s in an application's log, showing the line", (_, logs) => {
        const result = runScript({ workerLogs: logs });
        expect(result.code).toBe(1);
        const [first] = result.stderr.trim().split("\n");
        expect(first.startsWith("smoke check failed: wp-worker-1 logged an error (docker logs wp-worker-1): ")).toBe(
            true,
        );
        expect(result.stdout).toContain("ok: wp-backend-web-1 logged no error or traceback");
    });

    it("does not take words that merely contain ERROR for an error", () => {
        const result = runScript({ webLogs: "echo 'GET /api/TERRORS 200'; echo 'error_count=0'" });
        expect(result.code, result.stderr).toBe(0);
    });

    it("skips the migration probe when the stack sets none, and still checks the rest", () => {
        const application = { ...SETTINGS.application, pendingMigrations: undefined };
        const result = runScript({}, { ...SETTINGS, application });
        expect(result.code).toBe(0);
        expect(result.calls.some((call) => call.includes("migrate"))).toBe(false);
        expect(result.stdout).toContain("ok: wp-postgres accepts connections to shop as shop_owner");
    });
});

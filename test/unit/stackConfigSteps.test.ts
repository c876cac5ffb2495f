import { describe, expect, it } from "vitest";
import { StackConfigError, parseStackConfig } from "../../config/stackConfig";
import { productionConfig } from "./productionConfig";
import { Finding } from "../../rules/finding";

const production = productionConfig;

/** The findings the program refuses production with after `change`, [] when it deploys. */
function findings(change: (raw: Record<string, any>) => void, stack = "prod"): readonly Finding[] {
    const raw = production();
    change(raw);
    try {
        parseStackConfig(raw, { stack, secretKeys: ["webplatform:tlsPrivateKey"] }, (value) => value);
    } catch (error) {
        if (error instanceof StackConfigError) {
            return error.findings;
        }
        throw error;
    }
    return [];
}
const keys = (change: (raw: Record<string, any>) => void) => findings(change).map((finding) => finding.key);

describe("production refuses migration steps and healthchecks that do nothing", () => {
    it("accepts Pulumi.prod.yaml as shipped", () => {
        expect(findings(() => {})).toEqual([]);
    });

    it.each([
        [["true"]],
        [["sh", "-c", " "]],
        [["sh", "-c", "true && exit 0"]],
        [["/bin/true"]],
        [["echo", "migrated"]],
        [["sh", "-c", "python manage.py migrate || true"]],
    ])("refuses backend.migrationCommand %j", (command) => {
        const refused = findings((raw) => (raw.backend.migrationCommand = command));
        expect(refused.map((finding) => finding.key)).toEqual(["webplatform:backend.migrationCommand"]);
        expect(refused[0].fix).toContain("run the real migration");
    });

    it.each([[["true"]], [["sh", "-c", "python manage.py migrate --check || true"]], [["echo", "no pending"]]])(
        "refuses backend.pendingMigrationsCheck %j, a probe that can never report a pending migration",
        (command) => {
            const refused = findings((raw) => (raw.backend.pendingMigrationsCheck = command));
            expect(refused.map((finding) => finding.key)).toEqual(["webplatform:backend.pendingMigrationsCheck"]);
            expect(refused[0].fix).toContain("run the application's own probe");
        },
    );

    it.each([
        [["CMD-SHELL", "exit 0"]],
        [[":"]],
        [["sleep", "1"]],
        [["CMD-SHELL", "curl -f http://127.0.0.1:8000/ || true"]],
    ])("refuses backend.healthcheckCommand and a worker's %j", (command) => {
        expect(keys((raw) => (raw.backend.healthcheckCommand = command))).toEqual([
            "webplatform:backend.healthcheckCommand",
        ]);
        expect(keys((raw) => (raw.workers["celery-beat"].healthcheckCommand = command))).toEqual([
            "webplatform:workers.celery-beat.healthcheckCommand",
        ]);
    });

    it("allows a no-op outside production", () => {
        const raw = production();
        raw.environment = "staging";
        raw.backend.migrationCommand = ["true"];
        expect(() =>
            parseStackConfig(raw, { stack: "staging", secretKeys: ["webplatform:tlsPrivateKey"] }, (value) => value),
        ).not.toThrow();
    });

    it("refuses a shell-form healthcheck on an image without a shell, and accepts the exec form", () => {
        const distroless = "gcr.io/distroless/python3-debian12:nonroot@sha256:" + "c".repeat(64);
        const refused = findings((raw) => {
            raw.backend.image = distroless;
            raw.workers = { daphne: raw.workers.daphne };
            raw.workers.daphne.healthcheckCommand = ["CMD-SHELL", "python3 -c 'import socket'"];
        });
        expect(refused.map((finding) => finding.key)).toEqual(["webplatform:workers.daphne.healthcheckCommand"]);
        expect(refused[0].problem).toContain("has no /bin/sh");
        expect(
            findings((raw) => {
                raw.backend.image = distroless;
                raw.workers = { daphne: raw.workers.daphne };
            }),
        ).toEqual([]);
    });
});

describe("production refuses queue workers without a broker from the platform", () => {
    it("refuses celery workers when CELERY_BROKER_URL is not a platform Redis URL, naming the command and the fix", () => {
        const refused = findings((raw) => {
            delete raw.backend.redisUrlVariables.CELERY_BROKER_URL;
        });
        expect(refused.map((finding) => finding.key)).toEqual([
            "webplatform:workers.celery-worker.command",
            "webplatform:workers.celery-beat.command",
        ]);
        expect(refused[0].fix).toBe(
            "map CELERY_BROKER_URL to a Redis database with `pulumi config set --path 'backend.redisUrlVariables.CELERY_BROKER_URL' broker`, so the platform injects its URL.",
        );
    });

    it("does not count a broker URL written as plain text in backend.env", () => {
        expect(
            keys((raw) => {
                delete raw.backend.redisUrlVariables.CELERY_BROKER_URL;
                raw.backend.env.CELERY_BROKER_URL = "redis://platform-redis:6379/1";
                raw.workers = { "celery-worker": raw.workers["celery-worker"] };
            }),
        ).toContain("webplatform:workers.celery-worker.command");
    });

    it("refuses a worker whose own env replaces the platform's broker", () => {
        expect(
            keys((raw) => {
                raw.workers["celery-worker"].env = { CELERY_BROKER_URL: "memory://" };
            }),
        ).toEqual([
            // the override of the platform's variable, the in-memory broker itself, and the worker left without one
            "webplatform:workers.celery-worker.env.CELERY_BROKER_URL",
            "webplatform:workers.celery-worker.env.CELERY_BROKER_URL",
            "webplatform:workers.celery-worker.command",
        ]);
    });

    it.each([
        [["sh", "-c", "exec rq worker default"], "QUEUE_URL", []],
        [["sh", "-c", "exec celery -A app worker"], "QUEUE_URL", ["webplatform:workers.jobs.command"]],
        [["sh", "-c", "exec celery -A app worker"], "BROKER_URL", []],
        [["python", "manage.py", "run_huey"], "HUEY_REDIS_URL", []],
        [["python", "bot.py"], "QUEUE_URL", []],
    ])("%j with %s mapped gives %j", (command, variable, expected) => {
        expect(
            keys((raw) => {
                raw.backend.redisUrlVariables = { REDIS_URL: "cache", [variable]: "queue" };
                raw.workers = {
                    daphne: raw.workers.daphne,
                    jobs: { command, healthcheckCommand: ["CMD-SHELL", "pgrep -f worker"] },
                };
            }),
        ).toEqual(expected);
    });
});

describe("no config key publishes an application or worker port on the host", () => {
    it.each([
        ["backend", "hostPort"],
        ["backend", "ports"],
        ["backend", "hostAddress"],
    ])("%s.%s is not a setting", (section, key) => {
        expect(keys((raw) => (raw[section][key] = 8000))).toEqual([`webplatform:backend.${key}`]);
    });
    it.each(["hostPort", "ports", "publish"])("workers.<name>.%s is not a setting", (key) => {
        expect(keys((raw) => (raw.workers.daphne[key] = 8001))).toEqual([`webplatform:workers.daphne.${key}`]);
    });
});

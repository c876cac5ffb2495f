import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { StackConfigError, parseStackConfig } from "../../config/stackConfig";
import { projectedEnvironment } from "../../config/projectedEnvironment";
import { stackConfigSchema } from "../../config/schema";

/** The `webplatform:*` values of a stack file, with a certificate and key when it is the production one. */
function stackFile(path: string): Record<string, any> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const yaml = require("yaml");
    const parsed = yaml.parse(readFileSync(path, "utf8"));
    const raw: Record<string, any> = Object.fromEntries(
        Object.entries(parsed.config as Record<string, unknown>)
            .filter(([key]) => key.startsWith("webplatform:"))
            .map(([key, value]) => [key.slice("webplatform:".length), value]),
    );
    if (raw.environment === "production") {
        raw.nginx = { ...raw.nginx, certificatePem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" };
        raw.tlsPrivateKey = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";
    }
    return raw;
}

const SECRET = "Zx9-very-secret-Passw0rd";

/** The problem lines of the StackConfigError, or [] when the config is accepted. */
function problems(raw: Record<string, any>, stack = "prod"): string[] {
    try {
        parseStackConfig(
            raw,
            { stack, secretKeys: ["webplatform:secretEnv", "webplatform:tlsPrivateKey"] },
            (value) => value,
        );
    } catch (error) {
        if (error instanceof StackConfigError) {
            expect(error.message).not.toContain(SECRET);
            return error.message
                .split("\n")
                .slice(1)
                .map((line) => line.replace(/^ {2}- /, ""));
        }
        throw error;
    }
    return [];
}

/** Pulumi.prod.yaml (or another stack file) with a worker group's env and extra backend settings. */
function withWorkerEnv(env: Record<string, string>, path = "Pulumi.prod.yaml", worker = "daphne") {
    const raw = stackFile(path);
    raw.workers = { ...raw.workers, [worker]: { ...raw.workers[worker], env } };
    return raw;
}

describe("every worker group's final environment is checked in production", () => {
    it.each([
        ["DEBUG", { DEBUG: "True" }],
        ["DATABASE_URL", { DATABASE_URL: "sqlite:////app/db.sqlite3" }],
        ["NOTIFICATION_BROKER", { NOTIFICATION_BROKER: "memory" }],
        ["ALLOWED_HOSTS", { ALLOWED_HOSTS: "localhost" }],
        ["SESSION_COOKIE_SECURE", { SESSION_COOKIE_SECURE: "False" }],
    ])("refuses workers.daphne.env.%s", (variable, env) => {
        const raw = withWorkerEnv(env);
        if (variable === "DATABASE_URL") {
            raw.backend = { ...raw.backend, databaseUrlVariables: ["APP_DATABASE_URL"] };
        }
        const lines = problems(raw);
        expect(lines.length, lines.join("\n")).toBeGreaterThan(0);
        const own = lines.filter((line) => line.startsWith(`webplatform:workers.daphne.env.${variable}: `));
        expect(own.length, lines.join("\n")).toBeGreaterThan(0);
        // Only the backend's own missing DATABASE_URL (databaseUrlVariables moved away) may be reported beside it.
        expect(
            lines.filter((line) => !own.includes(line) && !line.startsWith("webplatform:backend.env.DATABASE_URL")),
        ).toEqual([]);
    });

    it("reports a backend finding once, not again for each worker that inherits it", () => {
        const raw = stackFile("Pulumi.prod.yaml");
        raw.backend = { ...raw.backend, env: { ...raw.backend.env, DEBUG: "True" } };
        expect(problems(raw).filter((line) => line.includes("DEBUG"))).toHaveLength(1);
        expect(problems(raw)[0]).toMatch(/^webplatform:backend\.env\.DEBUG: /);
    });

    it("leaves a development stack's worker settings to warnings", () => {
        expect(problems(withWorkerEnv({ DEBUG: "True" }, "Pulumi.dev.yaml", "worker"), "dev")).toEqual([]);
    });
});

describe("a user value for a platform-managed variable is refused in every environment", () => {
    it.each([
        ["backend.env", "DATABASE_URL", "backend.databaseUrlVariables"],
        ["backend.env", "REDIS_URL", "backend.redisUrlVariables.REDIS_URL"],
        ["backend.env", "SECRET_KEY", "backend.generatedSecrets.SECRET_KEY"],
        ["backend.env", "DATA_DIR", "backend.dataDirectory"],
        ["secretEnv", "CELERY_BROKER_URL", "backend.redisUrlVariables.CELERY_BROKER_URL"],
        ["secretEnv", "SECRET_KEY", "backend.generatedSecrets.SECRET_KEY"],
        ["secretEnv", "DATA_DIR", "backend.dataDirectory"],
        ["workers.*.env", "CELERY_BROKER_URL", "backend.redisUrlVariables.CELERY_BROKER_URL"],
        ["workers.*.env", "DATABASE_URL", "backend.databaseUrlVariables"],
        ["workers.*.env", "DATA_DIR", "backend.dataDirectory"],
    ])("%s.%s against %s", (pattern, variable, platformKey) => {
        for (const [file, stack, worker] of [
            ["Pulumi.prod.yaml", "prod", "celery-worker"],
            ["Pulumi.dev.yaml", "dev", "worker"],
        ]) {
            const path = pattern.replace("*", worker);
            const raw = stackFile(file);
            raw.backend = {
                ...raw.backend,
                dataDirectory: "/var/lib/thebot/data",
                redisUrlVariables: { REDIS_URL: "cache", CELERY_BROKER_URL: "broker" },
            };
            const value = variable === "DATA_DIR" ? "/var/lib/other" : `redis://:${SECRET}@elsewhere:6379/0`;
            if (path === "secretEnv") {
                raw.secretEnv = { [variable]: value };
            } else if (path === "backend.env") {
                raw.backend.env = { ...raw.backend.env, [variable]: value };
            } else {
                raw.workers = {
                    ...raw.workers,
                    [worker]: { ...raw.workers[worker], env: { [variable]: value } },
                };
            }
            const line = problems(raw, stack).find((problem) => problem.startsWith(`webplatform:${path}.${variable}:`));
            expect(line, `${file}: ${problems(raw, stack).join("\n")}`).toBeDefined();
            expect(line).toContain(`webplatform:${platformKey}`);
            expect(line).toContain("Fix: remove");
        }
    });

    it("projects DATA_DIR as the container gets it: the data directory after the user's layers", () => {
        const raw = stackFile("Pulumi.dev.yaml");
        raw.backend = { ...raw.backend, dataDirectory: "/var/lib/thebot/data" };
        expect(projectedEnvironment(stackConfigSchema.parse(raw)).DATA_DIR).toBe("/var/lib/thebot/data");
    });
});

describe("a plain credential in backend.env or a worker's env is refused in production", () => {
    it.each([
        ["backend.env", "BOT_TOKEN", SECRET],
        ["backend.env", "DB_PASSWORD", SECRET],
        ["backend.env", "OAUTH_CLIENT_SECRET", SECRET],
        ["backend.env", "STRIPE_API_KEY", SECRET],
        ["backend.env", "ANALYTICS_DSN", `postgresql://reader:${SECRET}@analytics:5432/events`],
        ["workers.daphne.env", "BOT_TOKEN", SECRET],
        ["workers.daphne.env", "SENTRY_URL", `https://user:${SECRET}@sentry.example.com/1`],
    ])("%s.%s, with the pulumi config set --secret command", (path, variable, value) => {
        const raw = path === "backend.env" ? stackFile("Pulumi.prod.yaml") : withWorkerEnv({ [variable]: value });
        if (path === "backend.env") {
            raw.backend = { ...raw.backend, env: { ...raw.backend.env, [variable]: value } };
        }
        expect(problems(raw)).toHaveLength(1);
        expect(problems(raw)[0]).toMatch(new RegExp(`^webplatform:${path.replace(/\./g, "\\.")}\\.${variable}: `));
        expect(problems(raw)[0]).toContain(`pulumi config set --secret --path secretEnv.${variable}`);
    });

    it("also when the platform would override the value anyway", () => {
        const raw = stackFile("Pulumi.prod.yaml");
        raw.backend = { ...raw.backend, env: { ...raw.backend.env, SECRET_KEY: SECRET } };
        const lines = problems(raw).filter((line) => line.startsWith("webplatform:backend.env.SECRET_KEY:"));
        expect(lines.some((line) => line.includes("backend.generatedSecrets.SECRET_KEY"))).toBe(true);
        expect(lines.some((line) => line.includes("pulumi config set --secret --path secretEnv.SECRET_KEY"))).toBe(
            true,
        );
    });

    it.each(["AWS_ACCESS_KEY_ID", "VAPID_PUBLIC_KEY", "CACHE_KEY_PREFIX", "TOKEN_TTL", "SENTRY_DSN"])(
        "accepts %s, a name that is not a credential",
        (variable) => {
            const raw = stackFile("Pulumi.prod.yaml");
            const value = variable === "SENTRY_DSN" ? "https://publickey@o1.ingest.sentry.io/1" : "AKIAEXAMPLE";
            raw.backend = { ...raw.backend, env: { ...raw.backend.env, [variable]: value } };
            expect(problems(raw)).toEqual([]);
        },
    );

    it("accepts a credential name in a development stack", () => {
        const raw = stackFile("Pulumi.dev.yaml");
        raw.backend = { ...raw.backend, env: { ...raw.backend.env, BOT_TOKEN: SECRET } };
        expect(problems(raw, "dev")).toEqual([]);
    });
});

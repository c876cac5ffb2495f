import { describe, expect, it } from "vitest";
import { StackConfigError, parseStackConfig } from "../../config/stackConfig";
import { productionConfig } from "./productionConfig";

const production = productionConfig;

/** The StackConfigError the program throws for the production stack with `backend` merged in. */
function refusal(backend: Record<string, unknown>): StackConfigError | undefined {
    const raw = production();
    raw.backend = { ...raw.backend, ...backend, env: { ...raw.backend.env, ...(backend.env as object) } };
    try {
        parseStackConfig(raw, { stack: "prod", secretKeys: ["webplatform:tlsPrivateKey"] }, (value) => value);
    } catch (error) {
        if (error instanceof StackConfigError) {
            return error;
        }
        throw error;
    }
    return undefined;
}
const PASSWORD = "Zx9secretPassw0rd";

describe("stack config refuses what the policy pack refuses, in any spelling", () => {
    it("accepts Pulumi.prod.yaml as shipped", () => {
        expect(refusal({})).toBeUndefined();
    });

    it.each([
        ["DEBUG", { env: { DEBUG: " Yes " } }],
        ["DJANGO_DEBUG", { env: { DJANGO_DEBUG: "T" } }],
        ["FLASK_DEBUG", { env: { FLASK_DEBUG: "off" } }],
        ["APP_DEBUG", { env: { APP_DEBUG: "ON" } }],
        ["UVICORN_RELOAD", { env: { UVICORN_RELOAD: "y" } }],
        ["CORS_ALLOW_ALL_ORIGINS", { env: { CORS_ALLOW_ALL_ORIGINS: "ok" } }],
        ["SESSION_COOKIE_SECURE", { env: { SESSION_COOKIE_SECURE: "f" } }],
        ["SECURE_HSTS_INCLUDE_SUBDOMAINS", { env: { SECURE_HSTS_INCLUDE_SUBDOMAINS: "N" } }],
        ["NODE_ENV", { env: { NODE_ENV: "development" } }],
        ["FLASK_ENV", { env: { FLASK_ENV: "debug" } }],
        ["APP_ENV", { env: { APP_ENV: "test" } }],
        ["ALLOWED_HOSTS", { env: { ALLOWED_HOSTS: "thebot.example.com,LocalHost." } }],
        ["DJANGO_ALLOWED_HOSTS", { env: { DJANGO_ALLOWED_HOSTS: "thebot.example.com,[::1]" } }],
        ["CORS_ALLOWED_ORIGINS", { env: { CORS_ALLOWED_ORIGINS: "https://127.1" } }],
        [
            "DATABASE_URL",
            {
                databaseUrlVariables: [],
                env: { DATABASE_URL: `postgresql://thebot:${PASSWORD}@2130706433:5432/thebot_db` },
            },
        ],
        [
            "DATABASE_URL",
            {
                databaseUrlVariables: [],
                env: { DATABASE_URL: `postgresql://thebot:${PASSWORD}@db:5432/thebot_db?host=/var/run/postgresql` },
            },
        ],
        [
            "DATABASE_URL",
            {
                databaseUrlVariables: [],
                env: { DATABASE_URL: `postgresql://thebot:${PASSWORD}@db:5432/thebot_db?host=localhost` },
            },
        ],
        [
            "REDIS_URL",
            {
                redisUrlVariables: { CELERY_BROKER_URL: "broker" },
                env: { REDIS_URL: `redis://:${PASSWORD}@[::1]:6379/0` },
            },
        ],
        [
            "CELERY_BROKER_URL",
            {
                redisUrlVariables: { REDIS_URL: "cache" },
                env: { CELERY_BROKER_URL: `redis://:${PASSWORD}@127.0.0.1.:6379/1` },
            },
        ],
    ])("refuses production with a bad %s, naming the key and never the password", (key, backend) => {
        const error = refusal(backend);
        expect(error).toBeInstanceOf(StackConfigError);
        const lines = error!.message.split("\n").slice(1);
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(new RegExp(`^  - webplatform:backend\\.env\\.${key}: .+ Fix: .+`));
        expect(error!.message).not.toContain(PASSWORD);
    });
});

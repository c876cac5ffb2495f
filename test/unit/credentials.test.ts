import { describe, expect, it } from "vitest";
import {
    credentialNameWord,
    credentialReason,
    hasUrlPassword,
    plainCredentials,
} from "../../rules/environment/credentials";

describe("credential names", () => {
    it.each([
        ["BOT_TOKEN", "TOKEN"],
        ["TELEGRAM_BOT_TOKEN", "TOKEN"],
        ["DB_PASSWORD", "PASSWORD"],
        ["POSTGRES_PASSWD", "PASSWD"],
        ["CLIENT_SECRET", "SECRET"],
        ["SECRET_KEY", "KEY"],
        ["STRIPE_API_KEY", "KEY"],
        ["AWS_SECRET_ACCESS_KEY", "KEY"],
        ["PRIVATE_KEY", "KEY"],
        ["token", "TOKEN"],
        ["PASSWORD", "PASSWORD"],
    ])("%s is a credential", (name, word) => {
        expect(credentialNameWord(name)).toBe(word);
    });

    it.each([
        "AWS_ACCESS_KEY_ID",
        "PUBLIC_KEY",
        "VAPID_PUBLIC_KEY",
        "STRIPE_PUBLISHABLE_KEY",
        "CACHE_KEY_PREFIX",
        "CACHE_KEY",
        "SORT_KEY",
        "TOKEN_TTL",
        "PASSWORD_MIN_LENGTH",
        "SECRET_KEY_FALLBACKS_COUNT",
        "KEYCLOAK_REALM",
        "MONKEY",
        "SENTRY_DSN",
        "DJANGO_SETTINGS_MODULE",
        "DEBUG",
    ])("%s is not a credential by its name", (name) => {
        expect(credentialNameWord(name)).toBeUndefined();
    });
});

describe("URLs with a password", () => {
    it.each([
        "postgresql://app:s3cret@db:5432/app",
        "redis://:s3cret@cache:6379/0",
        "amqp://guest:guest@rabbit//",
        "  https://user:p%40ss@api.example.com/",
    ])("%s carries a password", (value) => {
        expect(hasUrlPassword(value)).toBe(true);
    });

    it.each([
        "https://publickey@o1.ingest.sentry.io/1",
        "postgresql://app@db/app",
        "postgresql://app:@db/app",
        "redis://cache:6379/0",
        "https://thebot.example.com",
        "sqlite:////var/lib/app/db.sqlite3",
        "user:pass@host",
    ])("%s carries no password", (value) => {
        expect(hasUrlPassword(value)).toBe(false);
    });

    it("makes a DSN a credential only with a password", () => {
        expect(credentialReason("SENTRY_DSN", "https://publickey@o1.ingest.sentry.io/1")).toBeUndefined();
        expect(credentialReason("DATABASE_DSN", "postgresql://app:s3cret@db/app")).toMatch(/URL with a password/);
        expect(credentialReason("BOT_TOKEN", "  ")).toBeUndefined();
    });
});

describe("plainCredentials", () => {
    it("names the key and the command, never the value", () => {
        const findings = plainCredentials(
            { BOT_TOKEN: "123456:AAH-very-secret", DEBUG: "False", CACHE_URL: "redis://:hunter2@cache/1" },
            (name) => `webplatform:backend.env.${name}`,
            (name) => `secretEnv.${name}`,
        );
        expect(findings.map((finding) => finding.key)).toEqual([
            "webplatform:backend.env.BOT_TOKEN",
            "webplatform:backend.env.CACHE_URL",
        ]);
        expect(findings[0].fix).toContain("pulumi config set --secret --path secretEnv.BOT_TOKEN");
        const text = JSON.stringify(findings);
        expect(text).not.toContain("AAH-very-secret");
        expect(text).not.toContain("hunter2");
    });
});

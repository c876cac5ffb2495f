import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { StackConfigError, parseStackConfig } from "../../config/stackConfig";

/** The `webplatform:*` values of a stack file, as the program reads them (YAML parsed by a tiny reader). */
function stackFile(path: string): Record<string, unknown> {
    // Stack files are YAML; the yaml package ships with vitest's dependency tree, so no new dependency is needed.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const yaml = require("yaml");
    const parsed = yaml.parse(readFileSync(path, "utf8"));
    return Object.fromEntries(
        Object.entries(parsed.config as Record<string, unknown>)
            .filter(([key]) => key.startsWith("webplatform:"))
            .map(([key, value]) => [key.slice("webplatform:".length), value]),
    );
}

const certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const secretKeys = ["webplatform:secretEnv", "webplatform:tlsPrivateKey"];

function production(overrides: Record<string, unknown> = {}, backendOverrides: Record<string, unknown> = {}) {
    const base = stackFile("Pulumi.prod.yaml");
    return {
        ...base,
        nginx: { ...(base.nginx as object), certificatePem: certificate },
        tlsPrivateKey: "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
        ...overrides,
        backend: { ...(base.backend as object), ...backendOverrides },
    };
}

function problems(raw: Record<string, unknown>, stack = "prod", keys = secretKeys): string[] {
    try {
        parseStackConfig(raw, { stack, secretKeys: keys }, (value) => value);
    } catch (error) {
        if (error instanceof StackConfigError) {
            return error.message
                .split("\n")
                .slice(1)
                .map((line) => line.replace(/^ {2}- /, ""));
        }
        throw error;
    }
    return [];
}

describe("stack config validation", () => {
    it.each([
        ["Pulumi.prod.yaml (with its certificate and key set)", () => production()],
        [
            "examples/fastapi-alembic",
            () => ({
                ...stackFile("examples/fastapi-alembic/Pulumi.stack.yaml"),
                nginx: {
                    ...(stackFile("examples/fastapi-alembic/Pulumi.stack.yaml").nginx as object),
                    certificatePem: certificate,
                },
                tlsPrivateKey: "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----",
            }),
        ],
        [
            "examples/fastapi-admin-telegram-bot",
            () => ({
                ...stackFile("examples/fastapi-admin-telegram-bot/Pulumi.stack.yaml"),
                nginx: {
                    ...(stackFile("examples/fastapi-admin-telegram-bot/Pulumi.stack.yaml").nginx as object),
                    certificatePem: certificate,
                },
                tlsPrivateKey: "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----",
                secretEnv: { BOT_TOKEN: "123456:ABC" },
            }),
        ],
    ])("accepts the shipped production config %s", (_, raw) => {
        expect(problems(raw())).toEqual([]);
    });

    it("accepts the dev stack as shipped", () => {
        expect(problems(stackFile("Pulumi.dev.yaml"), "dev", [])).toEqual([]);
    });

    it.each([
        [
            "DEBUG=True",
            { env: { DEBUG: "True" } },
            "webplatform:backend.env.DEBUG: debug mode is enabled, which exposes stack traces and settings to anyone. Fix: set DEBUG=False (or remove it) for production.",
        ],
        [
            "a django-insecure- SECRET_KEY supplied by hand",
            {
                generatedSecrets: {},
                env: { SECRET_KEY: "django-insecure-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH" },
            },
            "webplatform:backend.env.SECRET_KEY: the signing key is a django-insecure- development key. Fix: let the platform generate SECRET_KEY (generatedSecrets) or set a random value of at least 50 characters with `pulumi config set --secret`.",
        ],
        [
            "SQLite in DATABASE_URL",
            { databaseUrlVariables: [], env: { DATABASE_URL: "sqlite:///app/db.sqlite3" } },
            "webplatform:backend.env.DATABASE_URL: points at SQLite, which loses data across containers and locks under concurrent writers. Fix: use the PostgreSQL URL the platform generates (URL-safe password, host, integer port, database).",
        ],
        [
            "a DATABASE_URL with an unescaped password",
            { databaseUrlVariables: [], env: { DATABASE_URL: "postgresql://app:p@ss/w0rd@db:5432/app" } },
            'webplatform:backend.env.DATABASE_URL: has no integer port (the outage "Port could not be cast to integer" came from an unescaped password). Fix: use the PostgreSQL URL the platform generates (URL-safe password, host, integer port, database).',
        ],
        [
            "localhost in ALLOWED_HOSTS",
            { env: { ALLOWED_HOSTS: "localhost,127.0.0.1,thebot.example.com" } },
            "webplatform:backend.env.ALLOWED_HOSTS: contains localhost, 127.0.0.1, a development host. Fix: list only the public domain(s) in ALLOWED_HOSTS.",
        ],
        [
            "ENVIRONMENT=development",
            { env: { ENVIRONMENT: "development" } },
            'webplatform:backend.env.ENVIRONMENT: says "development" instead of production, so development defaults and checks apply. Fix: set ENVIRONMENT=production.',
        ],
        [
            "a memory notification broker",
            { env: { NOTIFICATION_BROKER: "memory" } },
            'webplatform:backend.env.NOTIFICATION_BROKER: is "memory", an in-process broker that loses messages and is not shared between processes. Fix: set NOTIFICATION_BROKER=redis.',
        ],
        [
            "DATA_DIR inside the code",
            { dataDirectory: "/app/data" },
            'webplatform:backend.dataDirectory: "/app/data" is inside the application tree /app, so data is lost when the image changes. Fix: use a directory outside the code, such as /var/lib/app.',
        ],
        [
            "a latest image",
            { image: "registry.example.com/thebot/backend:latest" },
            'webplatform:backend.image: "registry.example.com/thebot/backend:latest" uses the moving tag "latest". Fix: pin the image by digest (name@sha256:...) or an immutable version tag.',
        ],
    ])("refuses production with %s", (_, backend, message) => {
        const base = production();
        const raw = {
            ...base,
            backend: {
                ...(base.backend as any),
                ...backend,
                env: { ...(base.backend as any).env, ...((backend as any).env ?? {}) },
            },
        };
        expect(problems(raw)).toEqual([message]);
    });

    it("lists every problem at once, one line each, and says nothing was deployed", () => {
        const raw = production({}, { env: { DEBUG: "1", ALLOWED_HOSTS: "*" } });
        let message = "";
        try {
            parseStackConfig(raw, { stack: "prod", secretKeys }, (value) => value);
        } catch (error) {
            message = (error as Error).message;
        }
        expect(message.split("\n")).toEqual([
            "Stack configuration is invalid (2 problems); nothing was deployed:",
            "  - webplatform:backend.env.DEBUG: debug mode is enabled, which exposes stack traces and settings to anyone. Fix: set DEBUG=False (or remove it) for production.",
            '  - webplatform:backend.env.ALLOWED_HOSTS: contains "*", which accepts forged Host headers. Fix: list the public domain(s) in ALLOWED_HOSTS.',
        ]);
    });

    it("requires a migration command, naming the key", () => {
        const raw = production();
        delete (raw.backend as any).migrationCommand;
        expect(problems(raw)).toEqual([
            "webplatform:backend.migrationCommand: is required but not set. Fix: set it with `pulumi config set --path backend.migrationCommand ...` (see README).",
        ]);
    });

    it("says what is wrong with a value of the wrong type, not that it is missing", () => {
        const raw = production({}, { migrationCommand: '["alembic", "upgrade", "head"]' });
        expect(problems(raw)).toEqual([
            "webplatform:backend.migrationCommand: Invalid input: expected array, received string. Fix: correct the value; the README lists every key and its form.",
        ]);
    });

    it("rejects unknown keys as likely typos", () => {
        expect(problems(production({ debug: true }))).toEqual([
            "webplatform:debug: is not a setting this project knows (a typo?). Fix: remove it or correct its name; the README lists every key.",
        ]);
    });

    it("refuses user secrets stored in plain text", () => {
        expect(
            problems(production({ secretEnv: { BOT_TOKEN: "123:abc" } }), "prod", ["webplatform:tlsPrivateKey"]),
        ).toEqual([
            "webplatform:secretEnv: is stored in plain text in Pulumi.prod.yaml. Fix: remove it and set it again with `pulumi config set --secret --path secretEnv...`.",
        ]);
    });

    it("refuses a prod stack that says it is not production", () => {
        expect(problems(production({ environment: "development" }))).toEqual([
            'webplatform:environment: is "development" on the stack "prod". Fix: set environment to production for a production stack.',
        ]);
    });

    it("refuses a production stack without a real certificate", () => {
        const raw = production();
        delete (raw.nginx as any).certificatePem;
        delete (raw as any).tlsPrivateKey;
        expect(problems(raw)).toEqual([
            "webplatform:nginx.certificatePem: is not set, so nginx would serve a self-signed certificate that browsers reject. Fix: set the certificate chain with `pulumi config set --path nginx.certificatePem` and its key as the secret tlsPrivateKey.",
        ]);
    });

    it("refuses a route to a service that serves no port", () => {
        const raw = production({
            nginx: { certificatePem: certificate, routes: [{ path: "/ws/", service: "celery-beat", websocket: true }] },
        });
        expect(problems(raw)).toEqual([
            'webplatform:nginx.routes[0].service: "celery-beat" is neither "backend" nor a worker group with a port. Fix: use "backend" or add a port to that worker group.',
        ]);
    });
    it("needs exactly one of backend.image and backend.build", () => {
        const both = production({}, { build: { context: "./app", tag: "thebot/backend:3f9c2e1" } });
        const neither = production();
        delete (neither.backend as any).image;
        for (const raw of [both, neither]) {
            expect(problems(raw)).toEqual([
                "webplatform:backend.image: needs exactly one of image (a pinned reference) or build (a Dockerfile context). Fix: correct the value; the README lists every key and its form.",
            ]);
        }
    });

    it("spells limits flat in config and names a misspelt one as an unknown key", () => {
        expect(problems(production({}, { memroyMb: 512 }))).toEqual([
            "webplatform:backend.memroyMb: is not a setting this project knows (a typo?). Fix: remove it or correct its name; the README lists every key.",
        ]);
        expect(problems(production({}, { limits: { memoryMb: 512 } }))).toEqual([
            "webplatform:backend.limits: is not a setting this project knows (a typo?). Fix: remove it or correct its name; the README lists every key.",
        ]);
    });

    it("refuses counts with the components' own wording", () => {
        expect(problems(production({ backup: { keep: 0 } }))).toEqual([
            "webplatform:backup.keep: must be a whole number of at least 1, got 0. Fix: correct the value; the README lists every key and its form.",
        ]);
    });
});

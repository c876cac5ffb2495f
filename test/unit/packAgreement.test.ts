/**
 * Components and the pack agree (issue #15, class 7): every policy of the pack that a stack's config can break is
 * also refused by the program before registration, so a production stack is safe without --policy-pack. For each
 * such policy a case changes Pulumi.prod.yaml so that what the components deploy breaks it: the case's config is
 * built as a staging stack under the mocks and the policy must report it, then the program must refuse the same
 * config on the production stack, naming the key. A policy no config can break says why, and that reason is held
 * to: none of the cases' deployments (nor the shipped stack) breaks it.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { productionConfig } from "./productionConfig";
import { StackConfigError, parseStackConfig } from "../../config/stackConfig";
import { POLICIES } from "../../policies/registry";
import { platformFixture } from "../../policies/test/fixtures";
import { StackInput, runResourcePolicy, runStackPolicy } from "../../policies/test/harness";

type RawConfig = Record<string, any>;

const production = productionConfig;

const SECRET_KEYS = ["webplatform:tlsPrivateKey", "webplatform:secretEnv"];

/** What the components deploy for `raw` on a production stack without the program's checks, as the pack sees it. */
async function deployed(raw: RawConfig): Promise<readonly StackInput[]> {
    const args = parseStackConfig(
        { ...raw, environment: "staging" },
        { stack: "staging", secretKeys: SECRET_KEYS },
        (value) => value,
    );
    // Deployed as production: the components read `environment` (the ENVIRONMENT variable) and nothing else of it.
    return (await platformFixture({ ...args, environment: "production" }, "thebot")).resources;
}

/** Every violation `policy` reports on the deployed resources. */
function violationsOf(policy: (typeof POLICIES)[number], resources: readonly StackInput[]): string[] {
    if ("validateStack" in policy) {
        return runStackPolicy(policy as StackValidationPolicy, resources).violations;
    }
    return resources.flatMap((resource) => runResourcePolicy(policy as ResourceValidationPolicy, resource).violations);
}

/** The program's refusal of `raw` on the production stack: its message, or undefined when it accepts it. */
function refusal(raw: RawConfig): string | undefined {
    try {
        parseStackConfig(raw, { stack: "prod", secretKeys: SECRET_KEYS }, (value) => value);
    } catch (error) {
        if (error instanceof StackConfigError) {
            return error.message;
        }
        throw error;
    }
    return undefined;
}

interface AgreementCase {
    readonly policy: string;
    readonly name: string;
    /** Breaks the policy in a copy of the production config. */
    readonly change: (raw: RawConfig) => void;
    /** The config key the program's refusal names. */
    readonly key: string;
}

const env = (variables: Record<string, string>) => (raw: RawConfig) => {
    raw.backend.env = { ...raw.backend.env, ...variables };
};
const PASSWORD = "Zx9secretPassw0rd";
const PEM_KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";

/** One config per way a stack can break a policy; a policy may have several. */
const AGREEMENT_CASES: readonly AgreementCase[] = [
    { policy: "app-debug-disabled", name: "DEBUG on", change: env({ DEBUG: "True" }), key: "backend.env.DEBUG" },
    {
        policy: "app-production-marker",
        name: "a development NODE_ENV",
        change: env({ NODE_ENV: "development" }),
        key: "backend.env.NODE_ENV",
    },
    {
        policy: "app-secret-key-strength",
        name: "an insecure SECRET_KEY instead of a generated one",
        change: (raw) => {
            raw.backend.generatedSecrets = {};
            env({ SECRET_KEY: "django-insecure-abc" })(raw);
        },
        key: "backend.env.SECRET_KEY",
    },
    {
        policy: "app-session-secret-strength",
        name: "a short SESSION_SECRET",
        change: env({ SESSION_SECRET: "changeme" }),
        key: "backend.env.SESSION_SECRET",
    },
    {
        policy: "app-admin-password-not-default",
        name: "ADMIN_PASSWORD admin",
        change: env({ ADMIN_PASSWORD: "admin" }),
        key: "backend.env.ADMIN_PASSWORD",
    },
    {
        policy: "app-database-url-postgres",
        name: "SQLite instead of the platform's PostgreSQL",
        change: (raw) => {
            raw.backend.databaseUrlVariables = [];
            env({ DATABASE_URL: "sqlite:///db.sqlite3" })(raw);
        },
        key: "backend.env.DATABASE_URL",
    },
    {
        policy: "app-redis-broker",
        name: "an in-memory Celery broker",
        change: (raw) => {
            raw.backend.redisUrlVariables = { REDIS_URL: "cache", CHANNELS_REDIS_URL: "channels" };
            env({ CELERY_BROKER_URL: "memory://" })(raw);
        },
        key: "backend.env.CELERY_BROKER_URL",
    },
    {
        policy: "app-allowed-hosts",
        name: "ALLOWED_HOSTS *",
        change: env({ ALLOWED_HOSTS: "*" }),
        key: "backend.env.ALLOWED_HOSTS",
    },
    {
        policy: "app-cors-origins",
        name: "every CORS origin",
        change: env({ CORS_ALLOW_ALL_ORIGINS: "True" }),
        key: "backend.env.CORS_ALLOW_ALL_ORIGINS",
    },
    {
        policy: "app-csrf-trusted-origins",
        name: "an http CSRF origin",
        change: env({ CSRF_TRUSTED_ORIGINS: "http://thebot.example.com" }),
        key: "backend.env.CSRF_TRUSTED_ORIGINS",
    },
    {
        policy: "app-cookie-samesite",
        name: "a SameSite=None session cookie",
        change: env({ SESSION_COOKIE_SAMESITE: "None" }),
        key: "backend.env.SESSION_COOKIE_SAMESITE",
    },
    {
        policy: "app-secure-cookies-and-redirect",
        name: "an insecure session cookie",
        change: env({ SESSION_COOKIE_SECURE: "False" }),
        key: "backend.env.SESSION_COOKIE_SECURE",
    },
    {
        policy: "app-data-directory-outside-code",
        name: "a data directory inside the code",
        change: (raw) => (raw.backend.dataDirectory = "/app/data"),
        key: "backend.dataDirectory",
    },
    {
        policy: "image-pinned",
        name: "a latest tag",
        change: (raw) => (raw.backend.image = "registry.example.com/thebot/backend:latest"),
        key: "backend.image",
    },
    {
        policy: "proxy-security-headers",
        name: "an hour of HSTS",
        change: (raw) => (raw.nginx.hstsMaxAgeSeconds = 3600),
        key: "nginx.hstsMaxAgeSeconds",
    },
    {
        policy: "container-real-healthcheck",
        name: "a worker healthcheck that does nothing",
        change: (raw) => (raw.workers.daphne.healthcheckCommand = ["CMD-SHELL", "exit 0"]),
        key: "workers.daphne.healthcheckCommand",
    },
    {
        policy: "migration-not-no-op",
        name: "a migration that does nothing",
        change: (raw) => (raw.backend.migrationCommand = ["true"]),
        key: "backend.migrationCommand",
    },
    {
        policy: "worker-queue-broker",
        name: "Celery workers without a broker URL",
        change: (raw) => (raw.backend.redisUrlVariables = { REDIS_URL: "cache", CHANNELS_REDIS_URL: "channels" }),
        key: "workers.celery-worker.command",
    },
    {
        policy: "container-non-root-user",
        name: "the application as root",
        change: (raw) => (raw.backend.user = "root"),
        key: "backend.user",
    },
    {
        policy: "container-non-root-user",
        name: "the application as uid 0",
        change: (raw) => (raw.backend.user = "0:0"),
        key: "backend.user",
    },
    {
        policy: "container-non-root-user",
        name: "nginx as root",
        change: (raw) => (raw.nginx.user = "root"),
        key: "nginx.user",
    },
    {
        policy: "container-read-only-rootfs",
        name: "a writable application root filesystem",
        change: (raw) => (raw.backend.readOnlyRootFilesystem = false),
        key: "backend.readOnlyRootFilesystem",
    },
    {
        policy: "container-no-secret-in-command",
        name: "a password on the web command",
        change: (raw) => (raw.backend.command = ["gunicorn", `--password=${PASSWORD}`, "config.wsgi"]),
        key: "backend.command",
    },
    {
        policy: "container-no-secret-in-command",
        name: "a broker URL with its password on a worker command",
        change: (raw) => (raw.workers.daphne.command = ["daphne", `redis://:${PASSWORD}@cache:6379/0`]),
        key: "workers.daphne.command",
    },
    {
        policy: "container-no-secret-in-command",
        name: "a Redis password on a worker healthcheck",
        change: (raw) => (raw.workers.daphne.healthcheckCommand = ["CMD", "redis-cli", "-a", PASSWORD, "ping"]),
        key: "workers.daphne.healthcheckCommand",
    },
    {
        policy: "proxy-tls-and-hosts",
        name: "a loopback domain (nginx's server_name)",
        change: (raw) => (raw.domain = "localhost"),
        key: "domain",
    },
    {
        policy: "container-no-private-key-in-env",
        name: "a signing key in secretEnv (docker inspect shows secrets in the environment too)",
        change: (raw) => (raw.secretEnv = { ...raw.secretEnv, JWT_PRIVATE_KEY: PEM_KEY }),
        key: "secretEnv.JWT_PRIVATE_KEY",
    },
    {
        policy: "container-no-private-key-in-env",
        name: "a key under a plain name in a worker's env",
        change: (raw) => (raw.workers.daphne.env = { ...raw.workers.daphne.env, TLS_BUNDLE: PEM_KEY }),
        key: "workers.daphne.env.TLS_BUNDLE",
    },
    {
        policy: "command-no-secret-in-command-line",
        name: "a literal PGPASSWORD in the migration",
        change: (raw) =>
            (raw.backend.migrationCommand = ["sh", "-c", `PGPASSWORD=${PASSWORD} python manage.py migrate`]),
        key: "backend.migrationCommand",
    },
];

/**
 * Policies no stack config can break, and why: the components set what they check and the config has no key for
 * it. The program needs no check of its own for them; the pack guards hand-written programs and component changes.
 */
const NOT_CONFIG_REACHABLE: Readonly<Record<string, string>> = {
    "postgres-healthcheck-user-and-database":
        "the PostgreSQL component builds its healthcheck from postgres.user and postgres.database itself.",
    "datastore-persistent-volume":
        "the PostgreSQL and Redis components always mount a named, retained volume; allowDataDeletion only drops protect, which the program refuses in production on its own.",
    "redis-requires-password": "the Redis component always generates a password and writes it into its config.",
    "datastore-ports-loopback-only": "postgres.hostPort and redis.hostPort always publish on 127.0.0.1.",
    "app-ports-through-proxy": "application containers publish no ports; only nginx does.",
    "container-healthcheck":
        'every container gets a healthcheck; ["NONE"] in config is refused by the no-op check before it reaches a container.',
    "container-not-privileged": "no config key makes a container privileged.",
    "container-no-host-namespaces": "no config key sets a host network, PID, IPC or user namespace.",
    "container-no-sensitive-host-mounts": "the components mount only named volumes (and nginx's own files).",
    "container-no-new-privileges": "hardenedContainerArgs always sets no-new-privileges.",
    "container-security-profiles": "hardenedContainerArgs always keeps the default seccomp and AppArmor profiles.",
    "container-capabilities-dropped": "hardenedContainerArgs always drops every capability and adds back a fixed set.",
    "container-resource-limits": "the limits schemas require a memory and CPU ceiling with sane minimums.",
    "container-restart-bounded": "hardenedContainerArgs always sets a bounded on-failure restart policy.",
    "container-log-rotation": "hardenedContainerArgs always sets json-file log rotation.",
    "app-after-migration": "the components always make web and worker containers depend on the migration.",
    "datastore-internal-network": "the platform always puts the datastores on its internal network.",
    "dependency-waits-for-health":
        "the components always wait for healthy dependencies: wait: true on the datastores and nginx, a health gate on every app container.",
};

/** Each case's deployment, built once: builds under the mocks are deterministic and policies get copies. */
const deployments = new Map<AgreementCase, Promise<readonly StackInput[]>>();
function deployedCase(testCase: AgreementCase): Promise<readonly StackInput[]> {
    if (!deployments.has(testCase)) {
        const raw = production();
        testCase.change(raw);
        deployments.set(testCase, deployed(raw));
    }
    return deployments.get(testCase)!;
}

const byPolicy = AGREEMENT_CASES.map((testCase) => [testCase.policy, testCase.name, testCase] as const);

describe("every pack policy is refused by the program too, or says why no config reaches it", () => {
    it("covers every policy exactly once (cases or a reason, never both)", () => {
        const covered = new Set(AGREEMENT_CASES.map((testCase) => testCase.policy));
        for (const policy of POLICIES) {
            expect([
                policy.name,
                covered.has(policy.name) !== Object.hasOwn(NOT_CONFIG_REACHABLE, policy.name),
            ]).toEqual([policy.name, true]);
        }
        const names = new Set(POLICIES.map((policy) => policy.name));
        expect([...covered, ...Object.keys(NOT_CONFIG_REACHABLE)].filter((name) => !names.has(name))).toEqual([]);
    });

    it("the shipped production stack deploys clean and is accepted", async () => {
        const resources = await deployed(production());
        expect(POLICIES.flatMap((policy) => violationsOf(policy, resources))).toEqual([]);
        expect(refusal(production())).toBeUndefined();
    });

    it.each(byPolicy)(
        "%s: %s is what the pack refuses, and the program refuses it first",
        async (policy, _name, testCase) => {
            const raw = production();
            testCase.change(raw);
            const guard = POLICIES.find((candidate) => candidate.name === policy)!;
            expect(violationsOf(guard, await deployedCase(testCase)).length).toBeGreaterThan(0);
            expect(refusal(raw)).toMatch(
                new RegExp(`\\n  - webplatform:${testCase.key.replace(/\./g, "\\.")}: .+ Fix: .+`),
            );
        },
    );

    it("no case's deployment breaks a policy that is said to be out of config's reach", async () => {
        const unreachable = POLICIES.filter((policy) => Object.hasOwn(NOT_CONFIG_REACHABLE, policy.name));
        for (const testCase of AGREEMENT_CASES) {
            const resources = await deployedCase(testCase);
            expect([testCase.name, unreachable.flatMap((policy) => violationsOf(policy, resources))]).toEqual([
                testCase.name,
                [],
            ]);
        }
    });
});

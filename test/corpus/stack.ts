import { proxyConfigText } from "./proxy";
import { CorpusEntry, environmentEntries } from "./entry";

/** The application's transport settings turned off (Django's deploy checklist). */
export const TRANSPORT_SETTINGS: readonly CorpusEntry[] = (
    [
        ["session-cookie-insecure", "SESSION_COOKIE_SECURE", "False", "Django-security.W012"],
        ["csrf-cookie-insecure", "CSRF_COOKIE_SECURE", "no", "Django-security.W016"],
        ["ssl-redirect-off", "SECURE_SSL_REDIRECT", "0", "Django-security.W008"],
        ["session-cookie-script-readable", "SESSION_COOKIE_HTTPONLY", "off", "Django-security.W015"],
        ["hsts-one-hour", "SECURE_HSTS_SECONDS", "3600", "Django-security.W004"],
        ["hsts-subdomains-off", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "N", "Django-security.W005"],
    ] as const
).flatMap(([name, variable, value, checklist]) =>
    environmentEntries("transport", "app-secure-cookies-and-redirect", [checklist], [{ name, variable, value }]),
);

/** Images by a moving tag or no tag at all (OWASP Docker D08, Kyverno disallow-latest-tag). */
const IMAGES: [string, string, string][] = [
    ["backend-image-latest", "backend.image", "registry.example.com/thebot/backend:latest"],
    ["backend-image-untagged", "backend.image", "registry.example.com/thebot/backend"],
    ["nginx-image-latest", "nginx.image", "registry.example.com/thebot/frontend:latest"],
    ["postgres-image-untagged", "postgres.image", "postgres"],
    ["redis-image-latest", "redis.image", "redis:latest"],
    ["backup-image-latest", "backup.image", "registry.example.com/thebot/pg-backup:latest"],
];

export const IMAGE_REFERENCES: readonly CorpusEntry[] = IMAGES.map(([name, path, image]): CorpusEntry => ({
    name,
    class: "images",
    checklist: ["OWASP-Docker-D08", "Kyverno-disallow-latest-tag"],
    set: { [path]: image },
    keys: [`webplatform:${path}`],
    pack: { policy: "image-pinned", form: { role: "web", image } },
}));

/** A persistent data directory inside the application's code tree, which an image update replaces (seed 004). */
export const DATA_DIRECTORIES: readonly CorpusEntry[] = ["/app/data", "/usr/src/app/uploads", "/code/media"].map(
    (directory, index): CorpusEntry => ({
        name: `data-directory-in-code-${index + 1}`,
        class: "data-directory",
        checklist: ["seed-004"],
        set: { "backend.dataDirectory": directory },
        keys: ["webplatform:backend.dataDirectory"],
        pack: { policy: "app-data-directory-outside-code", form: { role: "web", dataDirectory: directory } },
    }),
);

/** Variables the platform sets itself, also set by the user: the platform's value would win without a word. */
const OVERRIDE_ONLY =
    "the platform's value wins in the deployed container, so its resources are what a safe stack deploys; the refusal is about the user's value that would sit unused";
const OVERRIDES: [string, string, Record<string, unknown>, Record<string, string>][] = [
    ["override-database-url", "backend.env.DATABASE_URL", {}, {}],
    [
        "override-redis-url-secret",
        "secretEnv.REDIS_URL",
        {},
        { "secretEnv.REDIS_URL": "redis://cache.example.com:6379/0" },
    ],
    [
        "override-generated-secret-key",
        "secretEnv.SECRET_KEY",
        {},
        { "secretEnv.SECRET_KEY": "k".repeat(20) + "Zq7rT2mW9xK4pL8nV3cB6yH1dF5gJ0sA" },
    ],
    ["override-data-dir", "backend.env.DATA_DIR", { "backend.dataDirectory": "/var/lib/thebot/data" }, {}],
    ["override-worker-broker", "workers.celery-worker.env.CELERY_BROKER_URL", {}, {}],
    ["override-worker-channels", "workers.daphne.env.CHANNELS_REDIS_URL", {}, {}],
];

export const PLATFORM_OVERRIDES: readonly CorpusEntry[] = OVERRIDES.map(([name, path, extra, secret]): CorpusEntry => ({
    name,
    class: "platform-overrides",
    checklist: ["issue-15.2"],
    set: path.startsWith("secretEnv.")
        ? extra
        : { ...extra, [path]: path.endsWith("DATA_DIR") ? "/srv/thebot" : "redis://cache.example.com:6379/3" },
    secret,
    keys: [`webplatform:${path}`],
    pack: { configOnly: OVERRIDE_ONLY },
}));

/**
 * The public domain naming this machine: no client elsewhere reaches it and no certificate for it can be trusted.
 * The pack sees it as nginx's server_name (proxy-tls-and-hosts, the same rule as the program's).
 */
export const LOOPBACK_DOMAINS: readonly CorpusEntry[] = ["localhost", "127.0.0.1", "app.localhost", "LOCALHOST."].map(
    (domain, index): CorpusEntry => ({
        name: `domain-loopback-${index + 1}`,
        class: "loopback-hosts",
        checklist: ["Django-security.W020"],
        set: { domain },
        keys: ["webplatform:domain"],
        pack: {
            policy: "proxy-tls-and-hosts",
            form: { role: "proxy", env: { NGINX_CONFIG: proxyConfigText(domain) } },
        },
    }),
);

/** Stack-level mistakes with no resource to show them: missing or misplaced keys and destructive switches. */
export const STACK_SAFETY: readonly CorpusEntry[] = [
    {
        name: "certificate-missing",
        class: "stack-safety",
        checklist: ["Django-security.W008"],
        remove: ["nginx.certificatePem", "tlsPrivateKey"],
        keys: ["webplatform:nginx.certificatePem"],
        pack: {
            configOnly:
                "a missing key: nginx would generate a self-signed certificate, which no rule can tell from a bought one by its resources",
        },
    },
    {
        name: "tls-key-missing",
        class: "stack-safety",
        checklist: [],
        remove: ["tlsPrivateKey"],
        keys: ["webplatform:tlsPrivateKey"],
        pack: { configOnly: "a missing key beside a set certificate: nothing would be deployed from it" },
    },
    {
        name: "tls-key-plain-text",
        class: "stack-safety",
        checklist: ["OWASP-Docker-D06"],
        set: {
            tlsPrivateKey:
                "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCplainTextKey\n-----END PRIVATE KEY-----\n",
        },
        keys: ["webplatform:tlsPrivateKey"],
        sensitive: ["MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCplainTextKey"],
        pack: { configOnly: "how the key is stored (plain text in the stack file), which no resource shows" },
    },
    {
        name: "postgres-data-deletion",
        class: "stack-safety",
        checklist: [],
        set: { "postgres.allowDataDeletion": true },
        keys: ["webplatform:postgres.allowDataDeletion"],
        pack: {
            configOnly:
                "a switch of `pulumi destroy`: the volume's deletion protection is a resource option the pack is not shown",
        },
    },
    {
        name: "redis-data-deletion",
        class: "stack-safety",
        checklist: [],
        set: { "redis.allowDataDeletion": true },
        keys: ["webplatform:redis.allowDataDeletion"],
        pack: {
            configOnly:
                "a switch of `pulumi destroy`: the volume's deletion protection is a resource option the pack is not shown",
        },
    },
    {
        name: "docker-host-plain-tcp",
        class: "stack-safety",
        checklist: ["CIS-Docker-2.6"],
        set: { dockerHost: "tcp://10.0.0.5:2375" },
        keys: ["webplatform:dockerHost"],
        pack: { configOnly: "the provider's connection, not a resource" },
    },
    {
        name: "migration-command-missing",
        class: "stack-safety",
        checklist: ["seed-002"],
        remove: ["backend.migrationCommand"],
        keys: ["webplatform:backend.migrationCommand"],
        pack: { configOnly: "a missing required key" },
    },
    {
        name: "misspelt-env-key",
        class: "stack-safety",
        checklist: [],
        set: { "backend.enviroment": { DEBUG: "True" } },
        keys: ["webplatform:backend.enviroment"],
        pack: { configOnly: "an unknown key, which deploys nothing" },
    },
    {
        name: "route-to-portless-worker",
        class: "stack-safety",
        checklist: [],
        set: { "nginx.routes[2].service": "celery-worker" },
        keys: ["webplatform:nginx.routes[2].service"],
        pack: { configOnly: "a route to nothing: no resource could be made from it" },
    },
];

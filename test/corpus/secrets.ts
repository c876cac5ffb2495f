import { CorpusEntry } from "./entry";

/** Weak signing keys, session secrets and admin passwords, supplied as secrets (so only their strength is wrong). */
const INSECURE_KEY = "django-insecure-2x!k@9#pq$w7e^r5t&y3u*i1o(p)a_s-d=f+g";

export const SIGNING_SECRETS: readonly CorpusEntry[] = [
    {
        name: "secret-key-django-insecure",
        class: "signing-secrets",
        checklist: ["Django-security.W009", "seed-001"],
        remove: ["backend.generatedSecrets.SECRET_KEY"],
        secret: { "secretEnv.SECRET_KEY": INSECURE_KEY },
        keys: ["webplatform:backend.env.SECRET_KEY"],
        pack: { policy: "app-secret-key-strength", form: { role: "web", env: { SECRET_KEY: INSECURE_KEY } } },
    },
    {
        name: "django-secret-key-short",
        class: "signing-secrets",
        checklist: ["Django-security.W009"],
        secret: { "secretEnv.DJANGO_SECRET_KEY": "changeme-please" },
        keys: ["webplatform:backend.env.DJANGO_SECRET_KEY"],
        pack: {
            policy: "app-secret-key-strength",
            form: { role: "web", env: { DJANGO_SECRET_KEY: "changeme-please" } },
        },
    },
    {
        name: "secret-key-repetitive",
        class: "signing-secrets",
        checklist: ["Django-security.W009"],
        remove: ["backend.generatedSecrets.SECRET_KEY"],
        secret: { "secretEnv.SECRET_KEY": "abab".repeat(16) },
        keys: ["webplatform:backend.env.SECRET_KEY"],
        pack: { policy: "app-secret-key-strength", form: { role: "web", env: { SECRET_KEY: "abab".repeat(16) } } },
    },
    {
        name: "secret-key-fallback-insecure",
        class: "signing-secrets",
        checklist: ["Django-security.W025"],
        secret: { "secretEnv.SECRET_KEY_FALLBACKS": INSECURE_KEY },
        keys: ["webplatform:backend.env.SECRET_KEY_FALLBACKS[0]"],
        pack: {
            policy: "app-secret-key-strength",
            form: { role: "web", env: { SECRET_KEY_FALLBACKS: INSECURE_KEY } },
        },
    },
    {
        name: "session-secret-default",
        class: "signing-secrets",
        checklist: ["seed-002"],
        secret: { "secretEnv.SESSION_SECRET": "dev-session" },
        keys: ["webplatform:backend.env.SESSION_SECRET"],
        pack: { policy: "app-session-secret-strength", form: { role: "web", env: { SESSION_SECRET: "dev-session" } } },
    },
    {
        name: "admin-password-default",
        class: "signing-secrets",
        checklist: ["seed-004"],
        secret: { "secretEnv.ADMIN_PASSWORD": "letmein" },
        keys: ["webplatform:backend.env.ADMIN_PASSWORD"],
        pack: { policy: "app-admin-password-not-default", form: { role: "web", env: { ADMIN_PASSWORD: "letmein" } } },
    },
    {
        name: "admin-password-short",
        class: "signing-secrets",
        checklist: ["seed-004"],
        secret: { "secretEnv.ADMIN_PASSWORD": "Zx9!kq" },
        keys: ["webplatform:backend.env.ADMIN_PASSWORD"],
        pack: { policy: "app-admin-password-not-default", form: { role: "web", env: { ADMIN_PASSWORD: "Zx9!kq" } } },
    },
];

/**
 * Credentials written in plain text into the stack file. The deployed container looks the same whichever way the
 * value was stored, so the pack has nothing to see: these are refused by the program alone.
 */
const PLAIN_TEXT_ONLY =
    "the value is refused for how it is stored (plain text in Pulumi.<stack>.yaml); the deployed container's environment is the same either way, so no resource shows it";

const PLAIN_CREDENTIALS: [string, string, string][] = [
    ["plain-bot-token", "backend.env.BOT_TOKEN", "123456:AAHplainTextBotToken0000000000"],
    ["plain-database-password", "backend.env.DB_PASSWORD", "PlainDbPassw0rd2026"],
    ["plain-stripe-secret", "backend.env.STRIPE_SECRET", "sk_live_plainStripeSecret000"],
    ["plain-aws-secret-key", "backend.env.AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMIK7MDENGbPxRfiCYplain000"],
    ["plain-openai-api-key", "backend.env.OPENAI_API_KEY", "sk-plainOpenAiApiKey0000000000"],
    ["plain-email-password", "backend.env.EMAIL_HOST_PASSWORD", "PlainMailPassw0rd"],
    ["plain-sentry-dsn", "backend.env.SENTRY_DSN", "https://publickey:PlainDsnSecret99@sentry.example.com/42"],
    ["plain-worker-bot-token", "workers.celery-worker.env.TELEGRAM_BOT_TOKEN", "654321:AAHplainWorkerToken000000"],
    ["plain-worker-api-key", "workers.daphne.env.PUSH_API_KEY", "plainPushApiKey0000000000"],
];

export const PLAIN_TEXT_CREDENTIALS: readonly CorpusEntry[] = [
    ...PLAIN_CREDENTIALS.map(([name, path, value]): CorpusEntry => ({
        name,
        class: "plain-credentials",
        checklist: ["OWASP-Docker-D06", "CIS-Docker-4.10"],
        set: { [path]: value },
        keys: [`webplatform:${path}`],
        sensitive: [value],
        pack: { configOnly: PLAIN_TEXT_ONLY },
    })),
    {
        name: "plain-secret-env",
        class: "plain-credentials",
        checklist: ["OWASP-Docker-D06", "CIS-Docker-4.10"],
        set: { "secretEnv.API_TOKEN": "plainSecretEnvToken0000" },
        keys: ["webplatform:secretEnv"],
        sensitive: ["plainSecretEnvToken0000"],
        pack: { configOnly: PLAIN_TEXT_ONLY },
    },
];

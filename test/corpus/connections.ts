import { CorpusEntry, environmentEntries } from "./entry";

/**
 * The application's database URL set by hand (the platform's injection switched off with databaseUrlVariables: [])
 * to something that is not the platform's PostgreSQL: another engine, nothing, or this machine in any spelling.
 */
function ownDatabaseUrl(name: string, url: string, cls: CorpusEntry["class"], checklist: string[]): CorpusEntry {
    return {
        name,
        class: cls,
        checklist,
        set: { "backend.databaseUrlVariables": [], "backend.env.DATABASE_URL": url },
        keys: ["webplatform:backend.env.DATABASE_URL"],
        pack: { policy: "app-database-url-postgres", form: { role: "web", env: { DATABASE_URL: url } } },
    };
}

export const DATABASE_URLS: readonly CorpusEntry[] = [
    ownDatabaseUrl("database-sqlite", "sqlite:////app/db.sqlite3", "database-url", ["seed-000", "seed-003"]),
    ownDatabaseUrl("database-sqlite-relative", "sqlite:///db.sqlite3", "database-url", ["seed-003"]),
    ownDatabaseUrl("database-mysql", "mysql://thebot@db.example.com:3306/thebot_db", "database-url", ["seed-004"]),
    ownDatabaseUrl("database-no-name", "postgresql://thebot@db.example.com:5432/", "database-url", ["seed-000"]),
    {
        name: "database-url-unset",
        class: "database-url",
        checklist: ["seed-003"],
        set: { "backend.databaseUrlVariables": [] },
        keys: ["webplatform:backend.env.DATABASE_URL"],
        pack: { policy: "app-database-url-postgres", form: { role: "web", env: { DATABASE_URL: null } } },
    },
];

export const LOOPBACK_HOSTS: readonly CorpusEntry[] = [
    ownDatabaseUrl("database-localhost", "postgresql://thebot@localhost:5432/thebot_db", "loopback-hosts", [
        "seed-000",
    ]),
    ownDatabaseUrl("database-localhost-upper-dot", "postgres://thebot@LOCALHOST.:5432/thebot_db", "loopback-hosts", [
        "seed-000",
    ]),
    ownDatabaseUrl("database-loopback-range", "postgresql://thebot@127.3.2.1:5432/thebot_db", "loopback-hosts", []),
    ownDatabaseUrl("database-ipv6-loopback", "postgresql://thebot@[::1]:5432/thebot_db", "loopback-hosts", []),
    ownDatabaseUrl("database-unspecified", "postgresql://thebot@0.0.0.0:5432/thebot_db", "loopback-hosts", []),
    ownDatabaseUrl(
        "database-host-parameter",
        "postgresql://thebot@db.example.com:5432/thebot_db?host=localhost",
        "loopback-hosts",
        [],
    ),
    ownDatabaseUrl(
        "database-hostaddr-parameter",
        "postgresql://thebot@db.example.com:5432/thebot_db?hostaddr=127.0.0.1",
        "loopback-hosts",
        [],
    ),
    ...environmentEntries(
        "loopback-hosts",
        "app-allowed-hosts",
        ["Django-security.W020", "seed-001"],
        [
            { name: "allowed-hosts-localhost-dot", variable: "ALLOWED_HOSTS", value: "thebot.example.com,LocalHost." },
            { name: "allowed-hosts-loopback-ip", variable: "ALLOWED_HOSTS", value: "thebot.example.com,127.0.0.1" },
            { name: "django-allowed-hosts-ipv6", variable: "DJANGO_ALLOWED_HOSTS", value: "[::1]" },
        ],
    ),
    ...environmentEntries(
        "loopback-hosts",
        "app-cors-origins",
        ["seed-001"],
        [
            { name: "cors-loopback-short-form", variable: "CORS_ALLOWED_ORIGINS", value: "https://127.1" },
            { name: "cors-localhost-dev-server", variable: "CORS_ORIGINS", value: "http://localhost:3000" },
            { name: "cors-allow-all-origins", variable: "CORS_ALLOW_ALL_ORIGINS", value: "True" },
        ],
    ),
    ...environmentEntries(
        "loopback-hosts",
        "app-redis-broker",
        ["seed-003"],
        [
            { name: "cache-url-localhost", variable: "CACHE_URL", value: "redis://localhost:6379/2" },
            {
                name: "worker-channels-url-loopback",
                variable: "CHANNELS_LAYER_URL",
                value: "redis://127.0.0.1:6379/3",
                worker: "daphne",
            },
        ],
    ),
    {
        name: "result-backend-no-host",
        class: "loopback-hosts",
        checklist: ["seed-003"],
        remove: ["backend.redisUrlVariables.CELERY_RESULT_BACKEND"],
        set: { "backend.env.CELERY_RESULT_BACKEND": "redis://" },
        keys: ["webplatform:backend.env.CELERY_RESULT_BACKEND"],
        pack: { policy: "app-redis-broker", form: { role: "worker", env: { CELERY_RESULT_BACKEND: "redis://" } } },
    },
    {
        name: "redis-url-localhost",
        class: "loopback-hosts",
        checklist: ["seed-003"],
        remove: ["backend.redisUrlVariables.REDIS_URL"],
        set: { "backend.env.REDIS_URL": "redis://localhost:6379/0" },
        keys: ["webplatform:backend.env.REDIS_URL"],
        pack: { policy: "app-redis-broker", form: { role: "web", env: { REDIS_URL: "redis://localhost:6379/0" } } },
    },
    {
        name: "broker-loopback",
        class: "loopback-hosts",
        checklist: ["seed-003"],
        remove: ["backend.redisUrlVariables.CELERY_BROKER_URL"],
        set: { "backend.env.CELERY_BROKER_URL": "redis://127.0.0.1:6379/1" },
        keys: ["webplatform:backend.env.CELERY_BROKER_URL"],
        pack: {
            policy: "app-redis-broker",
            form: { role: "worker", env: { CELERY_BROKER_URL: "redis://127.0.0.1:6379/1" } },
        },
    },
];

export const BROKERS: readonly CorpusEntry[] = [
    {
        name: "broker-amqp",
        class: "broker",
        checklist: ["seed-003"],
        remove: ["backend.redisUrlVariables.CELERY_BROKER_URL"],
        set: { "backend.env.CELERY_BROKER_URL": "amqp://thebot@rabbitmq.example.com:5672//" },
        keys: ["webplatform:backend.env.CELERY_BROKER_URL"],
        pack: {
            policy: "app-redis-broker",
            form: { role: "worker", env: { CELERY_BROKER_URL: "amqp://thebot@rabbitmq.example.com:5672//" } },
        },
    },
    {
        name: "broker-no-host",
        class: "broker",
        checklist: ["seed-003"],
        remove: ["backend.redisUrlVariables.CELERY_BROKER_URL"],
        set: { "backend.env.BROKER_URL": "redis://" },
        keys: ["webplatform:backend.env.BROKER_URL"],
        pack: { policy: "app-redis-broker", form: { role: "worker", env: { BROKER_URL: "redis://" } } },
    },
    ...environmentEntries(
        "broker",
        "app-redis-broker",
        ["seed-004"],
        [{ name: "notification-broker-memory", variable: "NOTIFICATION_BROKER", value: "memory" }],
    ),
    {
        name: "redis-url-unset",
        class: "broker",
        checklist: ["seed-004"],
        remove: ["backend.redisUrlVariables.REDIS_URL"],
        keys: ["webplatform:backend.env.REDIS_URL"],
        pack: { policy: "app-redis-broker", form: { role: "web", env: { REDIS_URL: null } } },
    },
];

import { CorpusEntry } from "./entry";

/** Migration steps and healthchecks that do nothing, and queue workers started without a broker. */
const NO_OP_MIGRATIONS: [string, string[]][] = [
    ["migration-true", ["true"]],
    ["migration-colon", [":"]],
    ["migration-exit-0", ["sh", "-c", "exit 0"]],
    ["migration-echo", ["sh", "-c", "echo migrated"]],
    ["migration-blank-shell", ["sh", "-c", "  "]],
    ["migration-or-true", ["sh", "-c", "python manage.py migrate --noinput || true"]],
];

const NO_OP_HEALTHCHECKS: [string, string, string[], "web" | "worker"][] = [
    ["healthcheck-true", "backend.healthcheckCommand", ["true"], "web"],
    ["healthcheck-shell-exit-0", "backend.healthcheckCommand", ["CMD-SHELL", "exit 0"], "web"],
    ["healthcheck-echo", "backend.healthcheckCommand", ["CMD", "sh", "-c", "echo ok"], "web"],
    ["worker-healthcheck-colon", "workers.celery-worker.healthcheckCommand", [":"], "worker"],
    ["worker-healthcheck-exit-0", "workers.daphne.healthcheckCommand", ["sh", "-c", "exit 0"], "worker"],
    ["worker-healthcheck-blank-shell", "workers.celery-beat.healthcheckCommand", ["CMD-SHELL", " "], "worker"],
];

export const NO_OP_STEPS: readonly CorpusEntry[] = [
    ...NO_OP_MIGRATIONS.map(([name, command]): CorpusEntry => ({
        name,
        class: "no-op-steps",
        checklist: ["seed-002"],
        set: { "backend.migrationCommand": command },
        keys: ["webplatform:backend.migrationCommand"],
        pack: { policy: "migration-not-no-op", form: { role: "migration", command } },
    })),
    ...NO_OP_HEALTHCHECKS.map(([name, path, healthcheck, role]): CorpusEntry => ({
        name,
        class: "no-op-steps",
        checklist: ["CIS-Docker-5.27"],
        set: { [path]: healthcheck },
        keys: [`webplatform:${path}`],
        pack: { policy: "container-real-healthcheck", form: { role, healthcheck } },
    })),
];

/** A celery worker whose broker variable the platform no longer injects falls back to amqp://localhost. */
export const QUEUE_RUNNERS: readonly CorpusEntry[] = [
    {
        name: "celery-without-broker",
        class: "queue-runner",
        checklist: ["seed-003"],
        remove: ["backend.redisUrlVariables.CELERY_BROKER_URL"],
        keys: ["webplatform:workers.celery-worker.command", "webplatform:workers.celery-beat.command"],
        pack: {
            policy: "worker-queue-broker",
            form: { role: "worker", env: { CELERY_BROKER_URL: null }, command: ["celery", "-A", "config", "worker"] },
        },
    },
    {
        name: "celery-via-uv-without-broker",
        class: "queue-runner",
        checklist: ["seed-003"],
        set: {
            "workers.mail": {
                command: ["uv", "run", "celery", "-A", "config", "worker", "-Q", "mail"],
                healthcheckCommand: ["CMD-SHELL", "celery -A config inspect ping -d celery@$HOSTNAME --timeout 5"],
            },
        },
        remove: ["backend.redisUrlVariables.CELERY_BROKER_URL"],
        keys: ["webplatform:workers.mail.command"],
        pack: {
            policy: "worker-queue-broker",
            form: {
                role: "worker",
                env: { CELERY_BROKER_URL: null },
                command: ["uv", "run", "celery", "-A", "config", "worker", "-Q", "mail"],
            },
        },
    },
    {
        name: "celery-in-shell-without-broker",
        class: "queue-runner",
        checklist: ["seed-003"],
        set: { "workers.celery-worker.command": ["sh", "-c", "exec celery -A config worker --loglevel=info"] },
        remove: ["backend.redisUrlVariables.CELERY_BROKER_URL"],
        keys: ["webplatform:workers.celery-worker.command"],
        pack: {
            policy: "worker-queue-broker",
            form: {
                role: "worker",
                env: { CELERY_BROKER_URL: null },
                command: ["sh", "-c", "exec celery -A config worker --loglevel=info"],
            },
        },
    },
];

import { CorpusEntry, environmentEntries } from "./entry";

/** Debug switches in every spelling the popular parsers read as true, in the web and every worker environment. */
export const DEBUG_FLAGS: readonly CorpusEntry[] = [
    ...environmentEntries(
        "debug-flags",
        "app-debug-disabled",
        ["Django-security.W018", "seed-001"],
        [
            { name: "debug-yes", variable: "DEBUG", value: "yes" },
            { name: "debug-y-upper", variable: "DEBUG", value: "Y" },
            { name: "debug-on-mixed-case", variable: "DEBUG", value: "On" },
            { name: "debug-one", variable: "DEBUG", value: "1" },
            { name: "debug-t", variable: "DEBUG", value: "t" },
            { name: "debug-true-upper", variable: "DEBUG", value: "TRUE" },
            { name: "debug-padded", variable: "DEBUG", value: " True " },
            { name: "django-debug-true", variable: "DJANGO_DEBUG", value: "true" },
            // Flask reads every word but 0, false and no as true.
            { name: "flask-debug-off-word", variable: "FLASK_DEBUG", value: "off" },
            { name: "app-debug-ok", variable: "APP_DEBUG", value: "ok" },
            { name: "worker-daphne-debug", variable: "DEBUG", value: "True", worker: "daphne" },
            { name: "worker-celery-django-debug", variable: "DJANGO_DEBUG", value: "1", worker: "celery-worker" },
            { name: "worker-beat-flask-debug", variable: "FLASK_DEBUG", value: "yes", worker: "celery-beat" },
        ],
    ),
    ...environmentEntries(
        "debug-flags",
        "app-debug-disabled",
        ["seed-002"],
        [{ name: "uvicorn-reload", variable: "UVICORN_RELOAD", value: "yes" }],
    ),
];

/** Environment-name flags that say anything but production. */
export const ENVIRONMENT_NAME_FLAGS: readonly CorpusEntry[] = environmentEntries(
    "environment-names",
    "app-production-marker",
    ["seed-004"],
    [
        { name: "flask-env-development", variable: "FLASK_ENV", value: "development" },
        { name: "app-env-test", variable: "APP_ENV", value: "test" },
        { name: "node-env-development", variable: "NODE_ENV", value: "development" },
        { name: "django-env-dev", variable: "DJANGO_ENV", value: "dev" },
        { name: "python-env-staging", variable: "PYTHON_ENV", value: "staging" },
        { name: "env-local", variable: "ENV", value: "local" },
        { name: "app-environment-debug", variable: "APP_ENVIRONMENT", value: "debug" },
        { name: "worker-app-env-development", variable: "APP_ENV", value: "development", worker: "celery-worker" },
    ],
);

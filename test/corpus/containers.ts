import {
    CASE_DOMAIN,
    EnvironmentCase,
    UNSAFE_COOKIE_CASES,
    UNSAFE_HOST_CASES,
    UNSAFE_ORIGIN_CASES,
} from "../unit/hostOriginCases";
import { CorpusEntry } from "./entry";
import { proxyConfigText } from "./proxy";

/**
 * Container settings the pack's container guards refuse and the program refuses first (issue 15, class 7): a root
 * user, a writable root filesystem, secrets on command lines, and private keys in an environment, which
 * `docker inspect` prints whether or not they are secrets.
 */
const PEM_KEY =
    "-----BEGIN PRIVATE KEY-----\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDcorpusPemKey0\n-----END PRIVATE KEY-----\n";
const PEM_KEY_BASE64 = Buffer.from(PEM_KEY).toString("base64");
const COMMAND_PASSWORD = "PlainCmdPassw0rd2026";
const REDIS_PASSWORD = "PlainRedisPassw0rd2026";

export const CONTAINER_HARDENING: readonly CorpusEntry[] = [
    {
        name: "backend-user-root",
        class: "container-hardening",
        checklist: ["CIS-Docker-4.1", "OWASP-Docker-D01", "Kyverno-require-run-as-nonroot"],
        set: { "backend.user": "root" },
        keys: ["webplatform:backend.user"],
        pack: { policy: "container-non-root-user", form: { role: "web", user: "root" } },
    },
    {
        name: "nginx-user-uid-0",
        class: "container-hardening",
        checklist: ["CIS-Docker-4.1", "OWASP-Docker-D01", "Kyverno-require-run-as-nonroot"],
        set: { "nginx.user": "0:0" },
        keys: ["webplatform:nginx.user"],
        pack: {
            policy: "container-non-root-user",
            form: { role: "proxy", user: "0:0", env: { NGINX_CONFIG: proxyConfigText(CASE_DOMAIN) } },
        },
    },
    {
        name: "backend-writable-rootfs",
        class: "container-hardening",
        checklist: ["CIS-Docker-5.13", "OWASP-Docker-D09", "Kyverno-require-ro-rootfs"],
        set: { "backend.readOnlyRootFilesystem": false },
        keys: ["webplatform:backend.readOnlyRootFilesystem"],
        pack: { policy: "container-read-only-rootfs", form: { role: "web", readOnly: false } },
    },
    {
        name: "web-command-password",
        class: "container-hardening",
        checklist: ["OWASP-Docker-D06"],
        set: {
            "backend.command": ["gunicorn", "config.wsgi:application", `--db-password=${COMMAND_PASSWORD}`],
        },
        keys: ["webplatform:backend.command"],
        sensitive: [COMMAND_PASSWORD],
        pack: {
            policy: "container-no-secret-in-command",
            form: {
                role: "web",
                command: ["gunicorn", "config.wsgi:application", `--db-password=${COMMAND_PASSWORD}`],
            },
        },
    },
    {
        name: "worker-healthcheck-redis-password",
        class: "container-hardening",
        checklist: ["OWASP-Docker-D06"],
        set: { "workers.celery-worker.healthcheckCommand": ["CMD", "redis-cli", "-a", REDIS_PASSWORD, "ping"] },
        keys: ["webplatform:workers.celery-worker.healthcheckCommand"],
        sensitive: [REDIS_PASSWORD],
        pack: {
            policy: "container-no-secret-in-command",
            form: { role: "worker", healthcheck: ["CMD", "redis-cli", "-a", REDIS_PASSWORD, "ping"] },
        },
    },
    {
        name: "migration-literal-pgpassword",
        class: "container-hardening",
        checklist: ["OWASP-Docker-D06"],
        set: { "backend.migrationCommand": ["sh", "-c", `PGPASSWORD=${COMMAND_PASSWORD} python manage.py migrate`] },
        keys: ["webplatform:backend.migrationCommand"],
        sensitive: [COMMAND_PASSWORD],
        pack: {
            policy: "container-no-secret-in-command",
            form: {
                role: "migration",
                command: ["sh", "-c", `PGPASSWORD=${COMMAND_PASSWORD} python manage.py migrate`],
            },
        },
    },
    {
        name: "private-key-in-secret-env",
        class: "container-hardening",
        checklist: ["OWASP-Docker-D06"],
        secret: { "secretEnv.JWT_PRIVATE_KEY": PEM_KEY },
        keys: ["webplatform:secretEnv.JWT_PRIVATE_KEY"],
        pack: { policy: "container-no-private-key-in-env", form: { role: "web", env: { JWT_PRIVATE_KEY: PEM_KEY } } },
    },
    {
        name: "private-key-base64-in-worker-env",
        class: "container-hardening",
        checklist: ["OWASP-Docker-D06"],
        set: { "workers.celery-worker.env.SAML_SP_PEM": PEM_KEY_BASE64 },
        keys: ["webplatform:workers.celery-worker.env.SAML_SP_PEM"],
        sensitive: [PEM_KEY_BASE64],
        pack: {
            policy: "container-no-private-key-in-env",
            form: { role: "worker", env: { SAML_SP_PEM: PEM_KEY_BASE64 } },
        },
    },
];

/** The pack policy refusing a host, origin or cookie case: by the variable it names. */
function policyOf(variable: string): string {
    if (/SAME_?SITE/.test(variable)) {
        return "app-cookie-samesite";
    }
    if (variable.startsWith("CSRF_")) {
        return "app-csrf-trusted-origins";
    }
    return variable.includes("CORS") ? "app-cors-origins" : "app-allowed-hosts";
}

/** A case of test/unit/hostOriginCases.ts, by name, as a corpus entry laid over backend.env. */
function caseEntry(name: string, cases: readonly EnvironmentCase[], corpusName: string): CorpusEntry {
    const found = cases.find((candidate) => candidate.name === name);
    if (found === undefined || found.key === undefined) {
        throw new Error(`no unsafe host, origin or cookie case named "${name}"`);
    }
    const set = Object.fromEntries(
        Object.entries(found.env).map(([variable, value]) => [`backend.env.${variable}`, value]),
    );
    const checklist = policyOf(found.key) === "app-allowed-hosts" ? ["Django-security.W020"] : ["OWASP-Top10-A01"];
    return {
        name: corpusName,
        class: "hosts-origins-cookies",
        checklist,
        set,
        keys: [`webplatform:backend.env.${found.key}`],
        pack: found.needsDomain
            ? { configOnly: "only the stack's domain shows the value is wrong, and the pack cannot see the domain" }
            : { policy: policyOf(found.key), form: { role: "web", env: found.env } },
    };
}

/** A sample of the host, origin and cookie cases (the rest run in the unit tests), each about 2 s of CI. */
export const HOSTS_ORIGINS_COOKIES: readonly CorpusEntry[] = [
    caseEntry("every host", UNSAFE_HOST_CASES, "allowed-hosts-every-host"),
    caseEntry("a top-level wildcard", UNSAFE_HOST_CASES, "allowed-hosts-top-level-wildcard"),
    caseEntry("a look-alike host", UNSAFE_HOST_CASES, "allowed-hosts-look-alike"),
    caseEntry("plain http", UNSAFE_ORIGIN_CASES, "csrf-origin-plain-http"),
    caseEntry("every origin (CORS)", UNSAFE_ORIGIN_CASES, "cors-every-origin"),
    caseEntry("a regex allow-list", UNSAFE_ORIGIN_CASES, "cors-regex-allow-list"),
    caseEntry("a cross-site session", UNSAFE_COOKIE_CASES, "session-cookie-samesite-none"),
    caseEntry("a cross-site language cookie without Secure", UNSAFE_COOKIE_CASES, "samesite-none-without-secure"),
];

import { parseConnectionUrl } from "./connectionUrl";
import { Finding } from "./finding";
import { ONE_YEAR_SECONDS } from "./securityHeaders";

/**
 * Production rules over an application's environment variables: the settings behind the seed outages
 * (DEBUG=True, a django-insecure- SECRET_KEY, SQLite, localhost hosts, an in-memory broker, DATA_DIR inside the
 * code). Pure functions, shared by stack config validation and the policy pack.
 */
export type Environment = Readonly<Record<string, string>>;

const TRUE_WORDS = new Set(["1", "true", "yes", "on"]);
const FALSE_WORDS = new Set(["0", "false", "no", "off"]);
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "0.0.0.0", "::1", "[::1]"]);

/** Minimum lengths of application secrets (Django's own check wants 50 for SECRET_KEY). */
export const MINIMUM_SECRET_KEY_LENGTH = 50;
export const MINIMUM_SECRET_KEY_DISTINCT_CHARACTERS = 5;
export const MINIMUM_SESSION_SECRET_LENGTH = 32;
export const MINIMUM_ADMIN_PASSWORD_LENGTH = 12;

/** Values seen shipped as secrets in templates and tutorials. */
const KNOWN_DEFAULT_SECRETS = new Set(
    [
        "changeme",
        "change-me",
        "change_me",
        "secret",
        "secret-key",
        "secretkey",
        "your-secret-key",
        "your-secret-key-here",
        "supersecret",
        "super-secret-key",
        "mysecretkey",
        "default",
        "development",
        "dev",
        "test",
        "password",
        "notsecret",
        "insecure",
    ].map((value) => value.toLowerCase()),
);
const KNOWN_DEFAULT_PASSWORDS = new Set([
    "admin",
    "administrator",
    "password",
    "passw0rd",
    "admin123",
    "admin1234",
    "123456",
    "12345678",
    "qwerty",
    "letmein",
    "changeme",
    "root",
    "toor",
    "secret",
    "default",
    "test",
    "guest",
]);

/** Variables holding a Django-style signing key. */
export const SECRET_KEY_VARIABLES = ["SECRET_KEY", "DJANGO_SECRET_KEY"] as const;
/** Variables holding old signing keys still accepted (comma-separated). */
export const SECRET_KEY_FALLBACK_VARIABLES = ["SECRET_KEY_FALLBACKS", "DJANGO_SECRET_KEY_FALLBACKS"] as const;
/** Variables naming the deployment environment. */
export const ENVIRONMENT_MARKER_VARIABLES = ["ENVIRONMENT", "APP_ENV", "DJANGO_ENV", "NODE_ENV", "ENV"] as const;

function isTrue(value: string | undefined): boolean {
    return value !== undefined && TRUE_WORDS.has(value.trim().toLowerCase());
}
function isFalse(value: string | undefined): boolean {
    return value !== undefined && FALSE_WORDS.has(value.trim().toLowerCase());
}
function list(value: string): string[] {
    return value
        .split(/[,\s]+/)
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
}

export function debugDisabled(env: Environment): Finding[] {
    return ["DEBUG", "DJANGO_DEBUG", "FLASK_DEBUG", "APP_DEBUG"]
        .filter((key) => isTrue(env[key]))
        .map((key) => ({
            key,
            problem: "debug mode is enabled, which exposes stack traces and settings to anyone.",
            fix: `set ${key}=False (or remove it) for production.`,
        }));
}

export function productionMarker(env: Environment): Finding[] {
    const present = ENVIRONMENT_MARKER_VARIABLES.filter((key) => env[key] !== undefined);
    if (present.length === 0) {
        return [
            {
                key: "ENVIRONMENT",
                problem:
                    "no variable tells the application it runs in production, so it falls back to development defaults.",
                fix: "set ENVIRONMENT=production.",
            },
        ];
    }
    return present
        .filter((key) => !["production", "prod"].includes(env[key].trim().toLowerCase()))
        .map((key) => ({
            key,
            problem: `says "${env[key]}" instead of production, so development defaults and checks apply.`,
            fix: `set ${key}=production.`,
        }));
}

/** Why a signing key is unfit, or undefined when it is fit. Never includes the key itself. */
export function weakSecretKeyReason(value: string): string | undefined {
    if (value.startsWith("django-insecure-")) {
        return "is a django-insecure- development key";
    }
    if (KNOWN_DEFAULT_SECRETS.has(value.trim().toLowerCase())) {
        return "is a well-known default value";
    }
    if (value.length < MINIMUM_SECRET_KEY_LENGTH) {
        return `has ${value.length} characters, fewer than ${MINIMUM_SECRET_KEY_LENGTH}`;
    }
    if (!hasDistinctCharacters(value, MINIMUM_SECRET_KEY_DISTINCT_CHARACTERS)) {
        return `has fewer than ${MINIMUM_SECRET_KEY_DISTINCT_CHARACTERS} distinct characters`;
    }
    return undefined;
}

/** True when `value` has at least `count` distinct characters (code points); stops reading once it has seen them. */
function hasDistinctCharacters(value: string, count: number): boolean {
    const seen = new Set<string>();
    for (const character of value) {
        seen.add(character);
        if (seen.size >= count) {
            return true;
        }
    }
    return seen.size >= count;
}

export function strongSecretKeys(env: Environment): Finding[] {
    const findings: Finding[] = [];
    for (const key of SECRET_KEY_VARIABLES) {
        const value = env[key];
        const reason = value === undefined ? undefined : weakSecretKeyReason(value);
        if (reason) {
            findings.push({
                key,
                problem: `the signing key ${reason}.`,
                fix: `let the platform generate ${key} (generatedSecrets) or set a random value of at least ${MINIMUM_SECRET_KEY_LENGTH} characters with \`pulumi config set --secret\`.`,
            });
        }
    }
    for (const key of SECRET_KEY_FALLBACK_VARIABLES) {
        const value = env[key];
        if (value === undefined) {
            continue;
        }
        list(value).forEach((fallback, index) => {
            const reason = weakSecretKeyReason(fallback);
            if (reason) {
                findings.push({
                    key: `${key}[${index}]`,
                    problem: `the fallback signing key ${reason}.`,
                    fix: `remove that fallback or replace it with a random value of at least ${MINIMUM_SECRET_KEY_LENGTH} characters.`,
                });
            }
        });
    }
    return findings;
}

export function strongSessionSecret(env: Environment): Finding[] {
    const value = env.SESSION_SECRET;
    if (value === undefined) {
        return [];
    }
    if (value.length < MINIMUM_SESSION_SECRET_LENGTH || KNOWN_DEFAULT_SECRETS.has(value.toLowerCase())) {
        return [
            {
                key: "SESSION_SECRET",
                problem: `the session secret is shorter than ${MINIMUM_SESSION_SECRET_LENGTH} characters or a known default.`,
                fix: `let the platform generate SESSION_SECRET (generatedSecrets: sessionSecret) or set a random value of at least ${MINIMUM_SESSION_SECRET_LENGTH} characters.`,
            },
        ];
    }
    return [];
}

export function strongAdminPassword(env: Environment): Finding[] {
    const value = env.ADMIN_PASSWORD;
    if (value === undefined) {
        return [];
    }
    if (KNOWN_DEFAULT_PASSWORDS.has(value.toLowerCase()) || value.length < MINIMUM_ADMIN_PASSWORD_LENGTH) {
        return [
            {
                key: "ADMIN_PASSWORD",
                problem: `the admin password is a common default or shorter than ${MINIMUM_ADMIN_PASSWORD_LENGTH} characters.`,
                fix: "generate it (generatedSecrets: password) or set a strong value with `pulumi config set --secret`.",
            },
        ];
    }
    return [];
}

/** Why a database URL is unfit for production, or undefined. Never includes the URL (it holds a password). */
export function databaseUrlProblem(value: string): string | undefined {
    const scheme = value.split(":", 1)[0].toLowerCase();
    if (scheme.startsWith("sqlite")) {
        return "points at SQLite, which loses data across containers and locks under concurrent writers";
    }
    if (!/^postgres(ql)?(\+[a-z0-9]+)?$/.test(scheme)) {
        return `uses the scheme "${scheme}", not PostgreSQL`;
    }
    const normalised = value.replace(/^[^:]+:/, "postgresql:");
    let url: URL;
    try {
        url = new URL(normalised);
    } catch {
        return "is not a parseable URL (a password with reserved characters such as / @ : # breaks parsing)";
    }
    if (!/^\d+$/.test(url.port)) {
        return 'has no integer port (the outage "Port could not be cast to integer" came from an unescaped password)';
    }
    if (url.hostname.length === 0) {
        return "has no host";
    }
    if (LOCAL_HOSTS.has(url.hostname)) {
        return "points at localhost, which inside a container is the container itself";
    }
    if (url.pathname.replace(/^\//, "").length === 0) {
        return "names no database";
    }
    if (url.password !== "" && !/^[A-Za-z0-9._~-]+$/.test(url.password)) {
        return "has a password with characters that need escaping, which many clients do not unescape";
    }
    try {
        parseConnectionUrl(normalised);
    } catch (error) {
        return `does not parse back into its parts (${(error as Error).message})`;
    }
    return undefined;
}

export function postgresDatabaseUrl(env: Environment): Finding[] {
    const value = env.DATABASE_URL;
    if (value === undefined) {
        return [
            {
                key: "DATABASE_URL",
                problem: "is not set, so the application falls back to its development database (often SQLite).",
                fix: "keep DATABASE_URL in backend.databaseUrlVariables so the platform injects the PostgreSQL URL.",
            },
        ];
    }
    const problem = databaseUrlProblem(value);
    return problem
        ? [
              {
                  key: "DATABASE_URL",
                  problem: `${problem}.`,
                  fix: "use the PostgreSQL URL the platform generates (URL-safe password, host, integer port, database).",
              },
          ]
        : [];
}

export function redisBroker(env: Environment): Finding[] {
    const findings: Finding[] = [];
    const redisUrl = env.REDIS_URL;
    if (redisUrl === undefined) {
        findings.push({
            key: "REDIS_URL",
            problem: "is not set, so caching and notifications fall back to in-process memory.",
            fix: "keep REDIS_URL in backend.redisUrlVariables so the platform injects the Redis URL.",
        });
    } else if (!/^rediss?:\/\//.test(redisUrl)) {
        findings.push({
            key: "REDIS_URL",
            problem: "is not a redis:// URL.",
            fix: "use the Redis URL the platform generates.",
        });
    } else {
        try {
            if (LOCAL_HOSTS.has(new URL(redisUrl).hostname)) {
                findings.push({
                    key: "REDIS_URL",
                    problem: "points at localhost, which inside a container is the container itself.",
                    fix: "use the Redis URL the platform generates.",
                });
            }
        } catch {
            findings.push({
                key: "REDIS_URL",
                problem: "is not a parseable URL.",
                fix: "use the Redis URL the platform generates.",
            });
        }
    }
    const broker = env.NOTIFICATION_BROKER;
    if (broker !== undefined && broker.trim().toLowerCase() !== "redis") {
        findings.push({
            key: "NOTIFICATION_BROKER",
            problem: `is "${broker}", an in-process broker that loses messages and is not shared between processes.`,
            fix: "set NOTIFICATION_BROKER=redis.",
        });
    }
    for (const key of ["CELERY_BROKER_URL", "BROKER_URL"]) {
        const value = env[key];
        if (value !== undefined && !/^rediss?:\/\//.test(value)) {
            findings.push({
                key,
                problem: "is not a Redis URL, so Celery would use a broker this platform does not run.",
                fix: `map ${key} to a Redis database in backend.redisUrlVariables.`,
            });
        }
    }
    return findings;
}

/** Directories that usually hold the application's code inside its image. */
export const APPLICATION_TREES = ["/app", "/code", "/src", "/usr/src/app", "/srv/app", "/opt/app", "/home/app"];

function isWithin(path: string, directory: string): boolean {
    return path === directory || path.startsWith(`${directory.replace(/\/$/, "")}/`);
}

export function dataDirectoryOutsideCode(env: Environment, volumePaths: readonly string[]): Finding[] {
    const value = env.DATA_DIR;
    if (value === undefined) {
        return [];
    }
    if (!value.startsWith("/")) {
        return [
            {
                key: "DATA_DIR",
                problem: `"${value}" is a relative path.`,
                fix: "use an absolute path such as /var/lib/app.",
            },
        ];
    }
    const tree = APPLICATION_TREES.find((directory) => isWithin(value, directory));
    if (tree) {
        return [
            {
                key: "DATA_DIR",
                problem: `"${value}" is inside the application tree ${tree}, so data is lost when the image changes.`,
                fix: "use a directory outside the code, such as /var/lib/app.",
            },
        ];
    }
    if (!volumePaths.some((mount) => isWithin(value, mount))) {
        return [
            {
                key: "DATA_DIR",
                problem: `"${value}" is not on a volume, so its data disappears with the container.`,
                fix: "set backend.dataDirectory so the platform mounts a retained volume there.",
            },
        ];
    }
    return [];
}

export function allowedHosts(env: Environment): Finding[] {
    const findings: Finding[] = [];
    for (const key of ["ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS"]) {
        const value = env[key];
        if (value === undefined) {
            continue;
        }
        const hosts = list(value);
        if (hosts.length === 0) {
            findings.push({
                key,
                problem: "is empty, so every request is rejected.",
                fix: `set ${key} to the public domain.`,
            });
        }
        if (hosts.includes("*")) {
            findings.push({
                key,
                problem: 'contains "*", which accepts forged Host headers.',
                fix: `list the public domain(s) in ${key}.`,
            });
        }
        const local = hosts.filter((host) => LOCAL_HOSTS.has(host.toLowerCase()));
        if (local.length > 0) {
            findings.push({
                key,
                problem: `contains ${local.join(", ")}, a development host.`,
                fix: `list only the public domain(s) in ${key}.`,
            });
        }
    }
    return findings;
}

export function corsOrigins(env: Environment): Finding[] {
    const findings: Finding[] = [];
    if (isTrue(env.CORS_ALLOW_ALL_ORIGINS) || isTrue(env.CORS_ORIGIN_ALLOW_ALL)) {
        findings.push({
            key: "CORS_ALLOW_ALL_ORIGINS",
            problem: "lets every web site make credentialed requests to the API.",
            fix: "set it to False and list the frontend origins in CORS_ALLOWED_ORIGINS.",
        });
    }
    for (const key of ["CORS_ALLOWED_ORIGINS", "CORS_ORIGINS"]) {
        const value = env[key];
        if (value === undefined) {
            continue;
        }
        for (const origin of list(value)) {
            let url: URL | undefined;
            try {
                url = new URL(origin);
            } catch {
                url = undefined;
            }
            if (origin === "*" || !url || url.protocol !== "https:" || LOCAL_HOSTS.has(url.hostname)) {
                findings.push({
                    key,
                    problem: `origin "${origin}" is not an https origin on a public host.`,
                    fix: `list only https origins of the public frontend in ${key}.`,
                });
            }
        }
    }
    return findings;
}

export function secureCookiesAndRedirect(env: Environment): Finding[] {
    const mustBeTrue = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
    ];
    const findings: Finding[] = mustBeTrue
        .filter((key) => isFalse(env[key]))
        .map((key) => ({
            key,
            problem: "is turned off, so cookies or requests may travel over plain HTTP or be read by scripts.",
            fix: `set ${key}=True.`,
        }));
    const hsts = env.SECURE_HSTS_SECONDS;
    if (hsts !== undefined && !(Number(hsts) >= ONE_YEAR_SECONDS)) {
        findings.push({
            key: "SECURE_HSTS_SECONDS",
            problem: `is ${hsts}, shorter than a year.`,
            fix: `set SECURE_HSTS_SECONDS=${ONE_YEAR_SECONDS}.`,
        });
    }
    if (isFalse(env.SECURE_HSTS_INCLUDE_SUBDOMAINS)) {
        findings.push({
            key: "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            problem: "is off, so subdomains can be reached over plain HTTP.",
            fix: "set SECURE_HSTS_INCLUDE_SUBDOMAINS=True.",
        });
    }
    return findings;
}

/** Every application-environment rule, by the name the policy pack registers it under. */
export const APPLICATION_ENVIRONMENT_RULES = {
    "app-debug-disabled": debugDisabled,
    "app-production-marker": productionMarker,
    "app-secret-key-strength": strongSecretKeys,
    "app-session-secret-strength": strongSessionSecret,
    "app-admin-password-not-default": strongAdminPassword,
    "app-database-url-postgres": postgresDatabaseUrl,
    "app-redis-broker": redisBroker,
    "app-allowed-hosts": allowedHosts,
    "app-cors-origins": corsOrigins,
    "app-secure-cookies-and-redirect": secureCookiesAndRedirect,
} as const;

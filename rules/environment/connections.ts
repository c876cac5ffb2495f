/** The database and broker URLs the application connects with: PostgreSQL and Redis, parseable, never localhost. */
import { Finding } from "../finding";
import { parseConnectionUrl } from "../connectionUrl";
import { isLoopbackHost } from "../loopback";
import { Environment } from "./words";

/** libpq query parameters that replace the URL's host (a comma-separated list each). */
const LIBPQ_HOST_PARAMETERS = ["host", "hostaddr"] as const;
/** Variables naming the Celery broker: a URL the workers connect to. */
export const BROKER_URL_VARIABLES = ["CELERY_BROKER_URL", "BROKER_URL"] as const;

/**
 * Why a libpq `host=` or `hostaddr=` query parameter (which overrides the URL's host) points the application at its
 * own container, or undefined. A host starting with / (or @, Linux's abstract namespace) or left empty is a Unix socket.
 */
function libpqHostParameterProblem(url: URL): string | undefined {
    for (const parameter of LIBPQ_HOST_PARAMETERS) {
        for (const value of url.searchParams.getAll(parameter)) {
            for (const host of value.split(",").map((item) => item.trim())) {
                if (parameter === "host" && (host === "" || host.startsWith("/") || host.startsWith("@"))) {
                    return `has a ${parameter}= query parameter naming a Unix socket, which inside a container belongs to the container itself`;
                }
                if (isLoopbackHost(host)) {
                    return `has a ${parameter}= query parameter that points at localhost, which inside a container is the container itself`;
                }
            }
        }
    }
    return undefined;
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
    if (isLoopbackHost(url.hostname)) {
        return "points at localhost, which inside a container is the container itself";
    }
    const parameterProblem = libpqHostParameterProblem(url);
    if (parameterProblem) {
        return parameterProblem;
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
            // redis-py and ioredis connect to localhost when the URL names no host.
            const host = new URL(redisUrl).hostname;
            if (host === "" || isLoopbackHost(host)) {
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
    for (const key of BROKER_URL_VARIABLES) {
        const value = env[key];
        if (value !== undefined && !/^rediss?:\/\//.test(value)) {
            findings.push({
                key,
                problem: "is not a Redis URL, so Celery would use a broker this platform does not run.",
                fix: `map ${key} to a Redis database in backend.redisUrlVariables.`,
            });
        } else if (value !== undefined && brokerHostIsLocal(value)) {
            findings.push({
                key,
                problem: "points at localhost, which inside a container is the container itself.",
                fix: `map ${key} to a Redis database in backend.redisUrlVariables.`,
            });
        }
    }
    // Every other variable holding a Redis URL (a cache, channels or result backend) must not point here either.
    const checked = new Set<string>(["REDIS_URL", ...BROKER_URL_VARIABLES]);
    for (const [key, value] of Object.entries(env)) {
        if (
            !checked.has(key) &&
            value !== undefined &&
            /^rediss?:\/\//i.test(value.trim()) &&
            brokerHostIsLocal(value.trim())
        ) {
            findings.push({
                key,
                problem: "points at localhost, which inside a container is the container itself.",
                fix: `map ${key} to a Redis database in backend.redisUrlVariables.`,
            });
        }
    }
    return findings;
}

/** True when a Redis URL names no host (Celery and redis-py then use localhost) or a loopback one. */
function brokerHostIsLocal(value: string): boolean {
    try {
        const host = new URL(value).hostname;
        return host === "" || isLoopbackHost(host);
    } catch {
        return false;
    }
}

/** The database and broker URLs the application connects with: PostgreSQL and Redis, parseable, never localhost. */
import { Finding } from "../finding";
import { parseConnectionUrl } from "../connectionUrl";
import { Environment, LOCAL_HOSTS } from "./words";

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

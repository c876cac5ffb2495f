import { describe, expect, it } from "vitest";
import {
    DEBUG_VARIABLES,
    ENVIRONMENT_NAME_VARIABLES,
    allowedHosts,
    corsOrigins,
    debugDisabled,
    postgresDatabaseUrl,
    productionMarker,
    redisBroker,
    secureCookiesAndRedirect,
} from "../../rules/applicationEnvironment";
import { flaskReadsTrue, isFalse, isTrue } from "../../rules/environment/words";
import {
    DJANGO_ENVIRON_FALSE,
    FALSE_SPELLINGS,
    LOOPBACK_SPELLINGS,
    NEVER_FALSE,
    TRUE_SPELLINGS,
    UNSPECIFIED_SPELLINGS,
    URL_LOOPBACK_HOSTS,
} from "./guardCases";

const keys = (findings: { key: string }[]) => findings.map((finding) => finding.key);
const MUST_BE_TRUE = [
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
];
const PASSWORD = "Zx9secretPassw0rd";

describe("truthy and falsy words", () => {
    it.each(TRUE_SPELLINGS)("reads %j as true", (value) => {
        expect(isTrue(value)).toBe(true);
        // t is true to strtobool, pydantic and click, and false to django-environ.
        expect(isFalse(value)).toBe(value.trim().toLowerCase() === "t");
    });
    it.each(FALSE_SPELLINGS)("reads %j as false", (value) => {
        expect(isFalse(value)).toBe(true);
        expect(isTrue(value)).toBe(false);
    });
    it.each(DJANGO_ENVIRON_FALSE)("reads %j as false, as django-environ does", (value) => {
        expect(isFalse(value)).toBe(true);
    });
    it.each(NEVER_FALSE)("never reads %j as false", (value) => {
        expect(isFalse(value)).toBe(false);
    });
    it("reads FLASK_DEBUG as Flask does: anything non-empty but 0, false or no", () => {
        expect(["off", "n", "maybe", " 0", "false "].every(flaskReadsTrue)).toBe(true);
        expect(["0", "false", "FALSE", "No", ""].some(flaskReadsTrue)).toBe(false);
        expect(flaskReadsTrue(undefined)).toBe(false);
    });
});

describe("debug and environment-name rules", () => {
    const cases = DEBUG_VARIABLES.flatMap((key) => TRUE_SPELLINGS.map((value) => [key, value] as const));
    it.each(cases)("finds %s=%j", (key, value) => {
        expect(debugDisabled({ [key]: value })).toEqual([
            {
                key,
                problem: "debug mode is enabled, which exposes stack traces and settings to anyone.",
                fix: `set ${key}=False (or remove it) for production.`,
            },
        ]);
    });
    it.each(FALSE_SPELLINGS.filter((value) => !flaskReadsTrue(value)))(
        "accepts every debug variable at %j",
        (value) => {
            expect(debugDisabled(Object.fromEntries(DEBUG_VARIABLES.map((key) => [key, value])))).toEqual([]);
        },
    );
    it.each(["off", "n", "f", "OFF", " false"])("finds FLASK_DEBUG=%j, which Flask reads as on", (value) => {
        expect(keys(debugDisabled({ FLASK_DEBUG: value }))).toEqual(["FLASK_DEBUG"]);
        expect(keys(debugDisabled({ DEBUG: value }))).toEqual([]);
    });
    it.each(["1", "true", "Yes", "on"])("finds uvicorn's auto-reloader UVICORN_RELOAD=%j", (value) => {
        expect(keys(debugDisabled({ UVICORN_RELOAD: value }))).toEqual(["UVICORN_RELOAD"]);
    });

    const names = ENVIRONMENT_NAME_VARIABLES.flatMap((key) =>
        ["development", "Development", "dev", "debug", "test", "testing", "staging", "local"].map(
            (value) => [key, value] as const,
        ),
    );
    it.each(names)("finds %s=%j on a production stack", (key, value) => {
        expect(productionMarker({ ENVIRONMENT: "production", [key]: value })).toEqual([
            {
                key,
                problem: `says "${value}" instead of production, so development defaults and checks apply.`,
                fix: `set ${key}=production.`,
            },
        ]);
    });
    it.each(["production", "PRODUCTION", " prod ", "Prod"])("accepts every environment name at %j", (value) => {
        expect(productionMarker(Object.fromEntries(ENVIRONMENT_NAME_VARIABLES.map((key) => [key, value])))).toEqual([]);
    });
    it("still asks for ENVIRONMENT when only a newer variable is set, and checks that variable too", () => {
        expect(keys(productionMarker({ FLASK_ENV: "development" }))).toEqual(["ENVIRONMENT", "FLASK_ENV"]);
    });
});

describe("boolean settings that must stay on", () => {
    const cases = MUST_BE_TRUE.flatMap((key) =>
        [...FALSE_SPELLINGS, ...DJANGO_ENVIRON_FALSE].map((value) => [key, value] as const),
    );
    it.each(cases)("finds %s=%j", (key, value) => {
        expect(keys(secureCookiesAndRedirect({ [key]: value }))).toEqual([key]);
    });
    it.each(NEVER_FALSE)("accepts every setting at %j", (value) => {
        expect(secureCookiesAndRedirect(Object.fromEntries(MUST_BE_TRUE.map((key) => [key, value])))).toEqual([]);
    });
    const allowAll = ["CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"].flatMap((key) =>
        TRUE_SPELLINGS.map((value) => [key, value] as const),
    );
    it.each(allowAll)("finds %s=%j", (key, value) => {
        expect(keys(corsOrigins({ [key]: value }))).toEqual([key]);
    });
    it.each(FALSE_SPELLINGS)("accepts CORS_ALLOW_ALL_ORIGINS=%j", (value) => {
        expect(corsOrigins({ CORS_ALLOW_ALL_ORIGINS: value, CORS_ORIGIN_ALLOW_ALL: value })).toEqual([]);
    });
});

describe("hosts and URLs that point at this machine", () => {
    const listed = ["ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS"].flatMap((key) =>
        [...LOOPBACK_SPELLINGS, ...UNSPECIFIED_SPELLINGS, ".localhost"]
            .filter((host) => host.trim() === host)
            .map((host) => [key, host] as const),
    );
    it.each(listed)("finds %s listing %j", (key, host) => {
        expect(allowedHosts({ [key]: `thebot.example.com,${host}` })).toEqual([
            {
                key,
                problem: `contains ${host}, a development host.`,
                fix: `list only the public domain(s) in ${key}.`,
            },
        ]);
    });
    it.each(URL_LOOPBACK_HOSTS)("finds a CORS origin on %s", (host) => {
        expect(keys(corsOrigins({ CORS_ALLOWED_ORIGINS: `https://thebot.example.com,https://${host}` }))).toEqual([
            "CORS_ALLOWED_ORIGINS",
        ]);
    });
    it.each(URL_LOOPBACK_HOSTS)("finds a DATABASE_URL on %s without printing it", (host) => {
        const findings = postgresDatabaseUrl({ DATABASE_URL: `postgresql://app:${PASSWORD}@${host}:5432/app` });
        expect(findings.map((finding) => `${finding.key}: ${finding.problem}`)).toEqual([
            "DATABASE_URL: points at localhost, which inside a container is the container itself.",
        ]);
    });
    it.each(URL_LOOPBACK_HOSTS)("finds REDIS_URL and the broker URLs on %s", (host) => {
        const url = `redis://:${PASSWORD}@${host}:6379/0`;
        const findings = redisBroker({ REDIS_URL: url, CELERY_BROKER_URL: url, BROKER_URL: url });
        expect(keys(findings)).toEqual(["REDIS_URL", "CELERY_BROKER_URL", "BROKER_URL"]);
        expect(JSON.stringify(findings)).not.toContain(PASSWORD);
    });
    it("finds a Redis URL that names no host, which clients read as localhost", () => {
        expect(keys(redisBroker({ REDIS_URL: "redis:///0", CELERY_BROKER_URL: "redis:///1" }))).toEqual([
            "REDIS_URL",
            "CELERY_BROKER_URL",
        ]);
    });

    const socket =
        "has a host= query parameter naming a Unix socket, which inside a container belongs to the container itself.";
    const local = (parameter: string) =>
        `has a ${parameter}= query parameter that points at localhost, which inside a container is the container itself.`;
    it.each([
        ["?host=/var/run/postgresql", socket],
        ["?host=%2Fvar%2Frun%2Fpostgresql", socket],
        ["?sslmode=require&host=/tmp", socket],
        ["?host=", socket],
        ["?host=@pgsocket", socket],
        ["?host=localhost", local("host")],
        ["?host=LOCALHOST.", local("host")],
        ["?host=db2,127.1", local("host")],
        ["?host=%5B::1%5D", local("host")],
        ["?hostaddr=127.0.0.1", local("hostaddr")],
        ["?hostaddr=::1", local("hostaddr")],
        ["?hostaddr=0.0.0.0", local("hostaddr")],
    ])("finds libpq's %s, which overrides the URL's host", (query, problem) => {
        const findings = postgresDatabaseUrl({ DATABASE_URL: `postgresql://app:${PASSWORD}@db:5432/app${query}` });
        expect(findings.map((finding) => finding.problem)).toEqual([problem]);
        expect(JSON.stringify(findings)).not.toContain(PASSWORD);
    });
    it.each(["", "?sslmode=require", "?host=db2", "?hostaddr=10.0.0.7&connect_timeout=5"])(
        "accepts a DATABASE_URL on another machine with %j",
        (query) => {
            expect(postgresDatabaseUrl({ DATABASE_URL: `postgresql://app:${PASSWORD}@db:5432/app${query}` })).toEqual(
                [],
            );
        },
    );
});

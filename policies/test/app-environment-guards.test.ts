import { beforeAll, describe, expect, it } from "vitest";
import { applicationEnvironmentPolicies } from "../registry";
import { TYPES } from "../lib/guard";
import { platformFixture } from "./fixtures";
import { runResourcePolicy, withChange } from "./harness";
import { setEnv } from "./helpers";
import { DJANGO_ENVIRON_FALSE, FALSE_SPELLINGS, TRUE_SPELLINGS, URL_LOOPBACK_HOSTS } from "../../test/unit/guardCases";

/** Every violation the application-environment family reports for the web container with `changes` applied. */
let web: Record<string, unknown>;
function violations(changes: Record<string, string>): string[] {
    const props = withChange(web, (copy) => {
        for (const [key, value] of Object.entries(changes)) {
            setEnv(copy, key, value);
        }
    });
    return applicationEnvironmentPolicies.flatMap(
        (policy) =>
            runResourcePolicy(policy, { type: TYPES.container, name: "thebot-backend-web-1", props }).violations,
    );
}
const W = 'Container "thebot-backend-web-1" breaks';
const PASSWORD = "Zx9secretPassw0rd";

describe("application environment policies see through spellings", () => {
    beforeAll(async () => {
        web = (await platformFixture()).named("thebot-backend-web-1").props;
    });

    const debug = ["DEBUG", "DJANGO_DEBUG", "FLASK_DEBUG", "APP_DEBUG"].flatMap((key) =>
        TRUE_SPELLINGS.map((value) => [key, value] as const),
    );
    it.each(debug)("reports %s=%j", (key, value) => {
        expect(violations({ [key]: value })).toEqual([
            `${W} app-debug-disabled: envs.${key}: debug mode is enabled, which exposes stack traces and settings to anyone. Fix: set ${key}=False (or remove it) for production.`,
        ]);
    });
    it("reports FLASK_DEBUG=off, which Flask reads as on, and UVICORN_RELOAD", () => {
        expect(violations({ FLASK_DEBUG: "off", UVICORN_RELOAD: "TRUE" })).toEqual([
            `${W} app-debug-disabled: envs.FLASK_DEBUG: debug mode is enabled, which exposes stack traces and settings to anyone. Fix: set FLASK_DEBUG=False (or remove it) for production.`,
            `${W} app-debug-disabled: envs.UVICORN_RELOAD: runs uvicorn's development auto-reloader, which watches the code and restarts the server. Fix: remove UVICORN_RELOAD (or set it to false) for production.`,
        ]);
    });
    it.each(TRUE_SPELLINGS)("reports CORS_ORIGIN_ALLOW_ALL=%j", (value) => {
        expect(violations({ CORS_ORIGIN_ALLOW_ALL: value })).toEqual([
            `${W} app-cors-origins: envs.CORS_ORIGIN_ALLOW_ALL: lets every web site make credentialed requests to the API. Fix: set it to False and list the frontend origins in CORS_ALLOWED_ORIGINS.`,
        ]);
    });
    it.each([...FALSE_SPELLINGS, ...DJANGO_ENVIRON_FALSE])("reports SECURE_SSL_REDIRECT=%j", (value) => {
        expect(violations({ SECURE_SSL_REDIRECT: value })).toEqual([
            `${W} app-secure-cookies-and-redirect: envs.SECURE_SSL_REDIRECT: is turned off, so cookies or requests may travel over plain HTTP or be read by scripts. Fix: set SECURE_SSL_REDIRECT=True.`,
        ]);
    });
    it.each(FALSE_SPELLINGS)("reports SECURE_HSTS_INCLUDE_SUBDOMAINS=%j", (value) => {
        expect(violations({ SECURE_HSTS_INCLUDE_SUBDOMAINS: value })).toEqual([
            `${W} app-secure-cookies-and-redirect: envs.SECURE_HSTS_INCLUDE_SUBDOMAINS: is off, so subdomains can be reached over plain HTTP. Fix: set SECURE_HSTS_INCLUDE_SUBDOMAINS=True.`,
        ]);
    });
    it.each(["FLASK_ENV", "APP_ENV", "NODE_ENV", "ENVIRONMENT", "DJANGO_ENV", "PYTHON_ENV", "APP_ENVIRONMENT", "ENV"])(
        "reports %s=development",
        (key) => {
            expect(violations({ [key]: "development" })).toEqual([
                `${W} app-production-marker: envs.${key}: says "development" instead of production, so development defaults and checks apply. Fix: set ${key}=production.`,
            ]);
        },
    );

    it.each(URL_LOOPBACK_HOSTS)("reports every URL and host list on %s, never printing a password", (host) => {
        const redis = `redis://:${PASSWORD}@${host}:6379/0`;
        const found = violations({
            DATABASE_URL: `postgresql://thebot:${PASSWORD}@${host}:5432/thebot_db`,
            REDIS_URL: redis,
            CELERY_BROKER_URL: redis,
            ALLOWED_HOSTS: `thebot.example.com,${host}`,
            CORS_ALLOWED_ORIGINS: `https://${host}`,
        });
        expect(found.map((message) => message.split(":", 2).join(":"))).toEqual([
            `${W} app-database-url-postgres: envs.DATABASE_URL`,
            `${W} app-redis-broker: envs.REDIS_URL`,
            `${W} app-redis-broker: envs.CELERY_BROKER_URL`,
            `${W} app-allowed-hosts: envs.ALLOWED_HOSTS`,
            `${W} app-cors-origins: envs.CORS_ALLOWED_ORIGINS`,
        ]);
        expect(found.join("\n")).not.toContain(PASSWORD);
    });
    it.each(["?host=/var/run/postgresql", "?host=localhost", "?hostaddr=127.0.0.1"])(
        "reports a DATABASE_URL on host db whose libpq %s points back at the container",
        (query) => {
            const found = violations({ DATABASE_URL: `postgresql://thebot:${PASSWORD}@db:5432/thebot_db${query}` });
            expect(found).toHaveLength(1);
            expect(found[0]).toMatch(
                /^Container "thebot-backend-web-1" breaks app-database-url-postgres: envs\.DATABASE_URL: has a host(addr)?= query parameter/,
            );
            expect(found[0]).not.toContain(PASSWORD);
        },
    );
});

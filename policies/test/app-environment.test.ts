import { beforeAll, describe, expect, it } from "vitest";
import { applicationEnvironmentPolicies } from "../registry";
import { TYPES } from "../lib/guard";
import { PlatformFixture, platformFixture } from "./fixtures";
import { UNKNOWN, runResourcePolicy, withChange } from "./harness";
import { envValue, setEnv } from "./helpers";

/** Every violation the application-environment family reports for one container, tagged with the policy. */
function appViolations(props: Record<string, unknown>, name = "thebot-backend-web-1"): string[] {
    return applicationEnvironmentPolicies.flatMap(
        (policy) => runResourcePolicy(policy, { type: TYPES.container, name, props }).violations,
    );
}

describe("application environment policies", () => {
    let fixture: PlatformFixture;
    let web: Record<string, unknown>;
    beforeAll(async () => {
        fixture = await platformFixture();
        web = fixture.named("thebot-backend-web-1").props;
    });

    it("registers one policy per shared rule plus the data directory rule", () => {
        expect(applicationEnvironmentPolicies.map((policy) => policy.name)).toEqual([
            "app-debug-disabled",
            "app-production-marker",
            "app-secret-key-strength",
            "app-session-secret-strength",
            "app-admin-password-not-default",
            "app-database-url-postgres",
            "app-redis-broker",
            "app-allowed-hosts",
            "app-cors-origins",
            "app-csrf-trusted-origins",
            "app-cookie-samesite",
            "app-secure-cookies-and-redirect",
            "app-data-directory-outside-code",
        ]);
    });

    it("finds nothing wrong with the environment the platform gives web and worker containers", () => {
        for (const name of [
            "thebot-backend-web-1",
            "thebot-celery-worker-1",
            "thebot-celery-beat-1",
            "thebot-daphne-1",
        ]) {
            expect(appViolations(fixture.named(name).props, name)).toEqual([]);
        }
    });

    const W = 'Container "thebot-backend-web-1" breaks';
    it.each([
        [
            "DEBUG=True",
            "DEBUG",
            "True",
            `${W} app-debug-disabled: envs.DEBUG: debug mode is enabled, which exposes stack traces and settings to anyone. Fix: set DEBUG=False (or remove it) for production.`,
        ],
        [
            "ENVIRONMENT=development",
            "ENVIRONMENT",
            "development",
            `${W} app-production-marker: envs.ENVIRONMENT: says "development" instead of production, so development defaults and checks apply. Fix: set ENVIRONMENT=production.`,
        ],
        [
            "no ENVIRONMENT at all",
            "ENVIRONMENT",
            undefined,
            `${W} app-production-marker: envs.ENVIRONMENT: no variable tells the application it runs in production, so it falls back to development defaults. Fix: set ENVIRONMENT=production.`,
        ],
        [
            "a django-insecure- SECRET_KEY",
            "SECRET_KEY",
            "django-insecure-0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefgh",
            `${W} app-secret-key-strength: envs.SECRET_KEY: the signing key is a django-insecure- development key. Fix: let the platform generate SECRET_KEY (generatedSecrets) or set a random value of at least 50 characters with \`pulumi config set --secret\`.`,
        ],
        [
            "a short SECRET_KEY_FALLBACKS entry",
            "SECRET_KEY_FALLBACKS",
            "short",
            `${W} app-secret-key-strength: envs.SECRET_KEY_FALLBACKS[0]: the fallback signing key has 5 characters, fewer than 50. Fix: remove that fallback or replace it with a random value of at least 50 characters.`,
        ],
        [
            "a short SESSION_SECRET",
            "SESSION_SECRET",
            "tooshort",
            `${W} app-session-secret-strength: envs.SESSION_SECRET: the session secret is shorter than 32 characters or a known default. Fix: let the platform generate SESSION_SECRET (generatedSecrets: sessionSecret) or set a random value of at least 32 characters.`,
        ],
        [
            "ADMIN_PASSWORD=admin",
            "ADMIN_PASSWORD",
            "admin",
            `${W} app-admin-password-not-default: envs.ADMIN_PASSWORD: the admin password is a common default or shorter than 12 characters. Fix: generate it (generatedSecrets: password) or set a strong value with \`pulumi config set --secret\`.`,
        ],
        [
            "a SQLite DATABASE_URL",
            "DATABASE_URL",
            "sqlite:////app/db.sqlite3",
            `${W} app-database-url-postgres: envs.DATABASE_URL: points at SQLite, which loses data across containers and locks under concurrent writers. Fix: use the PostgreSQL URL the platform generates (URL-safe password, host, integer port, database).`,
        ],
        [
            "a DATABASE_URL whose password breaks parsing",
            "DATABASE_URL",
            "postgresql://thebot:pa/ss@word@thebot-postgres:5432/thebot_db",
            `${W} app-database-url-postgres: envs.DATABASE_URL: is not a parseable URL (a password with reserved characters such as / @ : # breaks parsing). Fix: use the PostgreSQL URL the platform generates (URL-safe password, host, integer port, database).`,
        ],
        [
            "a DATABASE_URL without a port",
            "DATABASE_URL",
            "postgresql://thebot:secretvalue@thebot-postgres/thebot_db",
            `${W} app-database-url-postgres: envs.DATABASE_URL: has no integer port (the outage "Port could not be cast to integer" came from an unescaped password). Fix: use the PostgreSQL URL the platform generates (URL-safe password, host, integer port, database).`,
        ],
        [
            "no DATABASE_URL",
            "DATABASE_URL",
            undefined,
            `${W} app-database-url-postgres: envs.DATABASE_URL: is not set, so the application falls back to its development database (often SQLite). Fix: keep DATABASE_URL in backend.databaseUrlVariables so the platform injects the PostgreSQL URL.`,
        ],
        [
            "no REDIS_URL",
            "REDIS_URL",
            undefined,
            `${W} app-redis-broker: envs.REDIS_URL: is not set, so caching and notifications fall back to in-process memory. Fix: keep REDIS_URL in backend.redisUrlVariables so the platform injects the Redis URL.`,
        ],
        [
            "NOTIFICATION_BROKER=memory",
            "NOTIFICATION_BROKER",
            "memory",
            `${W} app-redis-broker: envs.NOTIFICATION_BROKER: is "memory", an in-process broker that loses messages and is not shared between processes. Fix: set NOTIFICATION_BROKER=redis.`,
        ],
        [
            "ALLOWED_HOSTS=*",
            "ALLOWED_HOSTS",
            "*",
            `${W} app-allowed-hosts: envs.ALLOWED_HOSTS: contains "*", which accepts forged Host headers. Fix: list the public domain(s) in ALLOWED_HOSTS.`,
        ],
        [
            "CORS_ALLOW_ALL_ORIGINS=True",
            "CORS_ALLOW_ALL_ORIGINS",
            "True",
            `${W} app-cors-origins: envs.CORS_ALLOW_ALL_ORIGINS: lets every web site make credentialed requests to the API. Fix: set it to False and list the frontend origins in CORS_ALLOWED_ORIGINS.`,
        ],
        [
            "SESSION_COOKIE_SECURE=False",
            "SESSION_COOKIE_SECURE",
            "False",
            `${W} app-secure-cookies-and-redirect: envs.SESSION_COOKIE_SECURE: is turned off, so cookies or requests may travel over plain HTTP or be read by scripts. Fix: set SESSION_COOKIE_SECURE=True.`,
        ],
        [
            "SECURE_HSTS_SECONDS of an hour",
            "SECURE_HSTS_SECONDS",
            "3600",
            `${W} app-secure-cookies-and-redirect: envs.SECURE_HSTS_SECONDS: is 3600, shorter than a year. Fix: set SECURE_HSTS_SECONDS=31536000.`,
        ],
        [
            "DATA_DIR inside the code tree",
            "DATA_DIR",
            "/app/data",
            `${W} app-data-directory-outside-code: envs.DATA_DIR: "/app/data" is inside the application tree /app, so data is lost when the image changes. Fix: use a directory outside the code, such as /var/lib/app.`,
        ],
        [
            "DATA_DIR on no volume",
            "DATA_DIR",
            "/var/lib/elsewhere",
            `${W} app-data-directory-outside-code: envs.DATA_DIR: "/var/lib/elsewhere" is not on a volume, so its data disappears with the container. Fix: set backend.dataDirectory so the platform mounts a retained volume there.`,
        ],
    ])("reports %s", (_case, key, value, message) => {
        expect(appViolations(withChange(web, (props) => setEnv(props, key, value)))).toEqual([message]);
    });

    it("never prints a secret's value", () => {
        const key = "changeme";
        const violations = appViolations(withChange(web, (props) => setEnv(props, "SECRET_KEY", key)));
        expect(violations).toHaveLength(1);
        expect(violations[0]).toContain("envs.SECRET_KEY: the signing key is a well-known default value.");
        const password = "pa/ss@word";
        const url = appViolations(
            withChange(web, (props) =>
                setEnv(props, "DATABASE_URL", `postgresql://thebot:${password}@thebot-postgres:5432/thebot_db`),
            ),
        );
        expect(url.join("\n")).not.toContain(password);
        expect(appViolations(web).join("\n")).not.toContain(
            envValue(fixture.named("thebot-backend-web-1"), "SECRET_KEY"),
        );
    });

    it("checks worker containers too", () => {
        const worker = withChange(fixture.named("thebot-celery-worker-1").props, (props) =>
            setEnv(props, "DEBUG", "1"),
        );
        expect(appViolations(worker, "thebot-celery-worker-1")).toEqual([
            'Container "thebot-celery-worker-1" breaks app-debug-disabled: envs.DEBUG: debug mode is enabled, which exposes stack traces and settings to anyone. Fix: set DEBUG=False (or remove it) for production.',
        ]);
    });

    it("leaves databases, caches and the proxy alone", () => {
        for (const name of ["thebot-postgres-server", "thebot-redis-server", "thebot-nginx-server"]) {
            const props = withChange(fixture.named(name).props, (copy) => setEnv(copy, "DEBUG", "True"));
            expect(appViolations(props, name)).toEqual([]);
        }
    });

    it("treats an unlabelled container of another program as an application, but not a database image", () => {
        const foreign = { image: "ghcr.io/acme/api:2.3.1", envs: ["DEBUG=True", "ENVIRONMENT=production"] };
        const messages = appViolations(foreign, "api");
        expect(messages).toContain(
            'Container "api" breaks app-debug-disabled: envs.DEBUG: debug mode is enabled, which exposes stack traces and settings to anyone. Fix: set DEBUG=False (or remove it) for production.',
        );
        expect(appViolations({ image: "postgres:16.4", envs: ["DEBUG=True"] }, "db")).toEqual([]);
    });

    describe("at preview", () => {
        it("skips every rule while the whole environment is unknown", () => {
            expect(appViolations(withChange(web, (props) => (props.envs = UNKNOWN)))).toEqual([]);
        });

        it("skips rules about missing variables while some entries are unknown, but still checks known values", () => {
            const partial = withChange(web, (props) => {
                props.envs = ["DEBUG=True", UNKNOWN, "ALLOWED_HOSTS=thebot.example.com"];
            });
            expect(appViolations(partial)).toEqual([
                `${W} app-debug-disabled: envs.DEBUG: debug mode is enabled, which exposes stack traces and settings to anyone. Fix: set DEBUG=False (or remove it) for production.`,
            ]);
        });

        it("skips the volume check of DATA_DIR while the container's volumes are unknown", () => {
            const props = withChange(web, (copy) => {
                setEnv(copy, "DATA_DIR", "/var/lib/elsewhere");
                copy.volumes = UNKNOWN;
            });
            expect(appViolations(props)).toEqual([]);
        });

        it("still checks an application whose labels are unknown (the engine computes labels nobody set)", () => {
            expect(
                appViolations(
                    withChange(web, (props) => {
                        setEnv(props, "DEBUG", "True");
                        props.labels = UNKNOWN;
                    }),
                ),
            ).toHaveLength(1);
        });
    });
});

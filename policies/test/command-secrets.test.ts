import { beforeAll, describe, expect, it } from "vitest";
import { TYPES } from "../lib/guard";
import { PlatformFixture, platformFixture } from "./fixtures";
import { UNKNOWN, runResourcePolicy, withChange } from "./harness";
import { resourcePolicy } from "./helpers";

const CONTAINER = resourcePolicy("container-no-secret-in-command");
const COMMAND = resourcePolicy("command-no-secret-in-command-line");
const SECRET = "Zq8vP3xLw2Rt9Kd";
const STORED = "so the secret is stored in the Pulumi state and shown by `docker inspect`, previews and `ps`.";
const CONTAINER_FIX =
    "Fix: pass the secret in an environment variable (envs, a Pulumi secret) or a config file written from one, as the Redis component does with REDIS_CONFIG.";
const COMMAND_FIX =
    "Fix: pass the secret through the Command's environment (a Pulumi secret) and reference it as `--env NAME` or `$NAME`, never inline.";

describe("secrets on command lines", () => {
    let fixture: PlatformFixture;
    beforeAll(async () => {
        fixture = await platformFixture();
    });

    it("accepts every container and command of the platform (secrets travel in the environment)", () => {
        for (const resource of fixture.ofType(TYPES.container)) {
            expect(runResourcePolicy(CONTAINER, resource).violations).toEqual([]);
        }
        for (const resource of fixture.ofType(TYPES.command)) {
            expect(runResourcePolicy(COMMAND, resource).violations).toEqual([]);
        }
    });

    it.each([
        [
            "the seed's redis-server --requirepass",
            { command: ["redis-server", "--appendonly", "yes", "--requirepass", SECRET] },
            `command: sets the Redis password with --requirepass on the command line, ${STORED}`,
        ],
        [
            "--requirepass from a variable inside sh -c",
            { command: ["sh", "-c", 'redis-server --requirepass "$REDIS_PASSWORD"'] },
            `command: sets the Redis password with --requirepass on the command line, ${STORED}`,
        ],
        [
            "redis-cli -a in the healthcheck",
            { healthcheck: { tests: ["CMD", "redis-cli", "-a", SECRET, "ping"] } },
            `healthcheck.tests: passes the Redis password to redis-cli with -a, ${STORED}`,
        ],
        [
            "a --password= option",
            { command: ["app", "serve", `--db-password=${SECRET}`] },
            `command: passes a secret with --db-password, ${STORED}`,
        ],
        [
            "a URL with a password",
            { entrypoint: ["celery", "-b", `redis://:${SECRET}@redis:6379/0`, "worker"] },
            `entrypoint: contains a URL with a password in it, ${STORED}`,
        ],
        [
            "a literal PASSWORD= assignment in a script",
            { command: ["sh", "-c", `PGPASSWORD=${SECRET} psql -h db -U app -c 'select 1'`] },
            `command: sets PGPASSWORD to a literal value, ${STORED}`,
        ],
        [
            "mysqladmin -p<password>",
            { healthcheck: { tests: ["CMD", "mysqladmin", "ping", `-p${SECRET}`] } },
            `healthcheck.tests: passes the password to mysqladmin with -p, ${STORED}`,
        ],
    ])("reports a container with %s", (_case, change, message) => {
        const props = withChange(fixture.named("thebot-redis-server").props, (copy) => Object.assign(copy, change));
        const violations = runResourcePolicy(CONTAINER, {
            type: TYPES.container,
            name: "thebot-redis-server",
            props,
        }).violations;
        expect(violations).toEqual([
            `Container "thebot-redis-server" breaks container-no-secret-in-command: ${message} ${CONTAINER_FIX}`,
        ]);
        expect(violations.join("\n")).not.toContain(SECRET);
    });

    it.each([
        ["a variable reference", ["sh", "-c", 'exec celery -A app worker --broker "$CELERY_BROKER_URL"']],
        ["psql variables from the environment", ["sh", "-c", 'psql -v new_password="$NEW_PASSWORD" -U app -d app']],
        ["a password file option", ["mysqld", "--password-file=/run/secrets/db"]],
        ["a boolean --auth flag", ["mongod", "--auth", "--bind_ip_all"]],
    ])("accepts %s", (_case, command) => {
        expect(
            runResourcePolicy(CONTAINER, { type: TYPES.container, name: "c", props: { command } }).violations,
        ).toEqual([]);
    });

    it("reports a migration step that inlines DATABASE_URL instead of passing it by name", () => {
        const migration = fixture.named("thebot-backend-migrate-run");
        const props = withChange(migration.props, (copy) => {
            copy.create = String(copy.create).replace(
                "--env DATABASE_URL",
                `--env DATABASE_URL=postgresql://thebot:${SECRET}@thebot-postgres:5432/thebot_db`,
            );
        });
        const violations = runResourcePolicy(COMMAND, { type: TYPES.command, name: migration.name, props }).violations;
        expect(violations).toEqual([
            `Command "thebot-backend-migrate-run" breaks command-no-secret-in-command-line: create: contains a URL with a password in it, ${STORED} ${COMMAND_FIX}`,
        ]);
        expect(violations.join("\n")).not.toContain(SECRET);
    });

    it("skips command lines that are unknown at preview", () => {
        expect(
            runResourcePolicy(COMMAND, { type: TYPES.command, name: "run", props: { create: UNKNOWN } }).violations,
        ).toEqual([]);
        expect(
            runResourcePolicy(CONTAINER, {
                type: TYPES.container,
                name: "c",
                props: { command: ["redis-server", "--requirepass", UNKNOWN], healthcheck: UNKNOWN },
            }).violations,
        ).toEqual([]);
    });
});

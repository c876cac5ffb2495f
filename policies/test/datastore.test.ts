import { beforeAll, describe, expect, it } from "vitest";
import { TYPES } from "../lib/guard";
import { PlatformFixture, platformFixture } from "./fixtures";
import { UNKNOWN, runResourcePolicy, withChange } from "./harness";
import { envValue, resourcePolicy, setEnv } from "./helpers";

const run = (name: string, resource: string, props: Record<string, unknown>, config = {}) =>
    runResourcePolicy(resourcePolicy(name), { type: TYPES.container, name: resource, props }, config).violations;

describe("datastore policies", () => {
    let fixture: PlatformFixture;
    let postgres: Record<string, unknown>;
    let redis: Record<string, unknown>;
    beforeAll(async () => {
        fixture = await platformFixture();
        postgres = fixture.named("thebot-postgres-server").props;
        redis = fixture.named("thebot-redis-server").props;
    });

    describe("postgres-healthcheck-user-and-database", () => {
        const P =
            'Container "thebot-postgres-server" breaks postgres-healthcheck-user-and-database: healthcheck.tests:';
        const FIX =
            'Fix: probe with ["CMD", "pg_isready", "-U", <user>, "-d", <database>, "-h", "127.0.0.1"] (what the Postgres component does).';
        const withTests = (tests: string[] | undefined) =>
            withChange(postgres, (props) => {
                props.healthcheck = tests === undefined ? undefined : { ...(props.healthcheck as object), tests };
            });

        it("accepts the component's probe", () => {
            expect(run("postgres-healthcheck-user-and-database", "thebot-postgres-server", postgres)).toEqual([]);
        });

        it.each([
            [
                "the seed's probe without -d",
                ["CMD-SHELL", "pg_isready -U ${DB_USER:-postgres}"],
                `${P} runs pg_isready without -d (the database), so it probes a database named after the OS user and passes while the application's database is missing. ${FIX}`,
            ],
            [
                "a probe without -U",
                ["CMD", "pg_isready", "-d", "thebot_db"],
                `${P} runs pg_isready without -U (the role), so it probes a database named after the OS user and passes while the application's database is missing. ${FIX}`,
            ],
            [
                "a bare pg_isready",
                ["CMD", "pg_isready"],
                `${P} runs pg_isready without -U (the role) and -d (the database), so it probes a database named after the OS user and passes while the application's database is missing. ${FIX}`,
            ],
            [
                "a probe that is not pg_isready",
                ["CMD-SHELL", "echo ok"],
                `${P} does not run pg_isready, so it does not show that PostgreSQL accepts connections to the application's database. ${FIX}`,
            ],
            [
                "no healthcheck",
                undefined,
                `${P} is not set, so nothing tells dependents when PostgreSQL accepts connections to the application's database. ${FIX}`,
            ],
        ])("reports %s", (_case, tests, message) => {
            expect(run("postgres-healthcheck-user-and-database", "thebot-postgres-server", withTests(tests))).toEqual([
                message,
            ]);
        });

        it.each([
            ["attached short options in a shell", ["CMD-SHELL", "pg_isready -Uthebot -dthebot_db -h 127.0.0.1"]],
            ["long options", ["CMD", "pg_isready", "--username=thebot", "--dbname=thebot_db"]],
            ["a connection URL", ["CMD", "pg_isready", "-d", "postgresql://thebot@127.0.0.1:5432/thebot_db"]],
            ["variables from the environment", ["CMD-SHELL", 'pg_isready -U "$POSTGRES_USER" -d "$POSTGRES_DB"']],
        ])("accepts %s", (_case, tests) => {
            expect(run("postgres-healthcheck-user-and-database", "thebot-postgres-server", withTests(tests))).toEqual(
                [],
            );
        });

        it("applies to unlabelled postgres images and not to other containers", () => {
            const foreign = { image: "postgres:16.4", healthcheck: { tests: ["CMD-SHELL", "pg_isready"] } };
            expect(run("postgres-healthcheck-user-and-database", "db", foreign)).toHaveLength(1);
            expect(run("postgres-healthcheck-user-and-database", "redis", redis)).toEqual([]);
        });

        it("skips an unknown healthcheck", () => {
            expect(
                run("postgres-healthcheck-user-and-database", "thebot-postgres-server", {
                    ...postgres,
                    healthcheck: UNKNOWN,
                }),
            ).toEqual([]);
        });
    });

    describe("datastore-persistent-volume", () => {
        const policy = "datastore-persistent-volume";
        const PG_FIX =
            'Fix: mount a named volume at /var/lib/postgresql/data (volumes: [{ volumeName, containerPath: "/var/lib/postgresql/data" }]) and keep that volume on destroy.';

        it("accepts the components' data volumes", () => {
            expect(run(policy, "thebot-postgres-server", postgres)).toEqual([]);
            expect(run(policy, "thebot-redis-server", redis)).toEqual([]);
        });

        it.each([
            [
                "no volume",
                (props: Record<string, unknown>) => (props.volumes = []),
                `Container "thebot-postgres-server" breaks datastore-persistent-volume: volumes: include nothing at the postgres data directory /var/lib/postgresql/data, so the data is lost whenever the container is replaced. ${PG_FIX}`,
            ],
            [
                "a tmpfs at the data path",
                (props: Record<string, unknown>) => {
                    props.volumes = [];
                    props.tmpfs = { "/var/lib/postgresql/data": "rw" };
                },
                `Container "thebot-postgres-server" breaks datastore-persistent-volume: tmpfs["/var/lib/postgresql/data"]: covers /var/lib/postgresql/data but is a tmpfs, so the data lives in memory and is lost on every restart. ${PG_FIX}`,
            ],
            [
                "a bind mount",
                (props: Record<string, unknown>) =>
                    (props.volumes = [{ hostPath: "/srv/pgdata", containerPath: "/var/lib/postgresql/data" }]),
                `Container "thebot-postgres-server" breaks datastore-persistent-volume: volumes[0]: covers /var/lib/postgresql/data but is a bind mount of a host directory, not a named volume, so Docker does not manage its lifetime or ownership. ${PG_FIX}`,
            ],
            [
                "PGDATA moved off the volume",
                (props: Record<string, unknown>) => setEnv(props, "PGDATA", "/var/lib/pg/data"),
                'Container "thebot-postgres-server" breaks datastore-persistent-volume: volumes: include nothing at the postgres data directory /var/lib/pg/data, so the data is lost whenever the container is replaced. Fix: mount a named volume at /var/lib/pg/data (volumes: [{ volumeName, containerPath: "/var/lib/pg/data" }]) and keep that volume on destroy.',
            ],
        ])("reports PostgreSQL with %s", (_case, change, message) => {
            expect(run(policy, "thebot-postgres-server", withChange(postgres, change))).toEqual([message]);
        });

        it("accepts a mount type volume above the data path and PGDATA below the volume", () => {
            const props = withChange(postgres, (copy) => {
                copy.volumes = [];
                copy.mounts = [{ type: "volume", source: "pg", target: "/var/lib/postgresql" }];
                setEnv(copy, "PGDATA", "/var/lib/postgresql/data/pgdata");
            });
            expect(run(policy, "thebot-postgres-server", props)).toEqual([]);
        });

        it("reports Redis without /data and honours configured data paths", () => {
            const bare = withChange(redis, (props) => (props.volumes = []));
            expect(run(policy, "thebot-redis-server", bare)).toEqual([
                'Container "thebot-redis-server" breaks datastore-persistent-volume: volumes: include nothing at the redis data directory /data, so the data is lost whenever the container is replaced. Fix: mount a named volume at /data (volumes: [{ volumeName, containerPath: "/data" }]) and keep that volume on destroy.',
            ]);
            expect(run(policy, "thebot-redis-server", redis, { dataPaths: { redis: "/var/lib/redis" } })).toHaveLength(
                1,
            );
        });

        it("skips while the environment (PGDATA) or the volumes are unknown", () => {
            expect(run(policy, "thebot-postgres-server", { ...postgres, envs: UNKNOWN, volumes: [] })).toEqual([]);
            expect(run(policy, "thebot-redis-server", { ...redis, volumes: UNKNOWN })).toEqual([]);
        });
    });

    describe("redis-requires-password", () => {
        const policy = "redis-requires-password";
        const FIX =
            "Fix: generate a password and put `requirepass <password>` in the config passed through REDIS_CONFIG (what the Redis component does); never on the command line.";
        const config = (props: Record<string, unknown>) => envValue({ props } as never, "REDIS_CONFIG")!;

        it("accepts the component's generated config", () => {
            expect(config(redis)).toMatch(/^requirepass \S{40}$/m);
            expect(run(policy, "thebot-redis-server", redis)).toEqual([]);
        });

        it.each([
            [
                "a config without requirepass",
                (props: Record<string, unknown>) =>
                    setEnv(props, "REDIS_CONFIG", config(props).replace(/^requirepass .*$/m, "")),
                `Container "thebot-redis-server" breaks redis-requires-password: requirepass: is set nowhere (not in REDIS_CONFIG, the command, REDIS_ARGS or REDIS_PASSWORD), so anything on Redis's network can read, change and flush it. ${FIX}`,
            ],
            [
                "an empty requirepass",
                (props: Record<string, unknown>) =>
                    setEnv(props, "REDIS_CONFIG", config(props).replace(/^requirepass .*$/m, 'requirepass ""')),
                `Container "thebot-redis-server" breaks redis-requires-password: envs.REDIS_CONFIG: sets an empty Redis password, which turns authentication off. ${FIX}`,
            ],
            [
                "a short password",
                (props: Record<string, unknown>) =>
                    setEnv(props, "REDIS_CONFIG", config(props).replace(/^requirepass .*$/m, "requirepass hunter2")),
                `Container "thebot-redis-server" breaks redis-requires-password: envs.REDIS_CONFIG: sets a Redis password shorter than 16 characters, which an attacker on the network can guess. ${FIX}`,
            ],
            [
                "ALLOW_EMPTY_PASSWORD=yes",
                (props: Record<string, unknown>) => setEnv(props, "ALLOW_EMPTY_PASSWORD", "yes"),
                `Container "thebot-redis-server" breaks redis-requires-password: envs.ALLOW_EMPTY_PASSWORD: lets Redis run without a password, so anything on its network can read and flush it. ${FIX}`,
            ],
        ])("reports %s", (_case, change, message) => {
            expect(run(policy, "thebot-redis-server", withChange(redis, change))).toEqual([message]);
        });

        it("never prints the password", () => {
            const short = withChange(redis, (props) =>
                setEnv(props, "REDIS_CONFIG", config(props).replace(/^requirepass .*$/m, "requirepass hunter2")),
            );
            expect(run(policy, "thebot-redis-server", short).join("\n")).not.toContain("hunter2");
        });

        it.each([
            [
                "REDIS_PASSWORD (bitnami images)",
                { image: "bitnami/redis:7.2.5", envs: [`REDIS_PASSWORD=${"x".repeat(32)}`] },
            ],
            [
                "--requirepass from a variable",
                { image: "redis:7.2.5", command: ["sh", "-c", 'exec redis-server --requirepass "$REDIS_PASSWORD"'] },
            ],
            [
                "an ACL for the default user",
                { image: "redis:7.2.5", envs: ["REDIS_CONFIG=user default on >s3cr3t-and-long-enough ~* +@all"] },
            ],
        ])("accepts a password set through %s", (_case, props) => {
            expect(run(policy, "cache", props)).toEqual([]);
        });

        it("reports an unlabelled redis image with no password at all", () => {
            expect(run(policy, "cache", { image: "redis:7.2.5" })).toHaveLength(1);
        });

        it("skips while the environment or command is unknown", () => {
            expect(run(policy, "thebot-redis-server", { ...redis, envs: UNKNOWN })).toEqual([]);
            expect(run(policy, "thebot-redis-server", { ...redis, command: UNKNOWN })).toEqual([]);
            expect(run(policy, "thebot-redis-server", { ...redis, envs: ["REDISCLI_AUTH=x", UNKNOWN] })).toEqual([]);
        });
    });

    describe("datastore-ports-loopback-only", () => {
        const policy = "datastore-ports-loopback-only";
        const FIX =
            'Fix: remove the port (the application reaches the service over the private network) or publish it on "127.0.0.1" only.';
        const withPorts = (ports: unknown) => withChange(postgres, (props) => (props.ports = ports));

        it("accepts no published port and a loopback one", () => {
            expect(run(policy, "thebot-postgres-server", postgres)).toEqual([]);
            expect(
                run(
                    policy,
                    "thebot-postgres-server",
                    withPorts([{ internal: 5432, external: 15432, ip: "127.0.0.1" }]),
                ),
            ).toEqual([]);
            expect(
                run(policy, "thebot-postgres-server", withPorts([{ internal: 5432, external: 15432, ip: "::1" }])),
            ).toEqual([]);
        });

        it.each([
            ["0.0.0.0", { internal: 5432, external: 5432, ip: "0.0.0.0" }, "0.0.0.0"],
            ["no address (Docker's default, all interfaces)", { internal: 5432, external: 5432 }, "0.0.0.0"],
            ["all IPv6 addresses", { internal: 5432, external: 5432, ip: "::" }, "::"],
        ])("reports a port published on %s", (_case, port, ip) => {
            expect(run(policy, "thebot-postgres-server", withPorts([port]))).toEqual([
                `Container "thebot-postgres-server" breaks datastore-ports-loopback-only: ports[0].ip: publishes container port 5432 on ${ip}, reachable from outside the host. ${FIX}`,
            ]);
        });

        it("reports publishAllPorts, and leaves the proxy's public ports alone", () => {
            expect(run(policy, "thebot-redis-server", { ...redis, publishAllPorts: true })).toEqual([
                'Container "thebot-redis-server" breaks datastore-ports-loopback-only: publishAllPorts: publishes every exposed port on all host addresses. Fix: remove publishAllPorts; publish a port only on 127.0.0.1 when a local tool needs it.',
            ]);
            expect(run(policy, "thebot-nginx-server", fixture.named("thebot-nginx-server").props)).toEqual([]);
        });

        it("skips a port whose address is unknown", () => {
            expect(
                run(policy, "thebot-postgres-server", withPorts([{ internal: 5432, external: 5432, ip: UNKNOWN }])),
            ).toEqual([]);
        });
    });
});

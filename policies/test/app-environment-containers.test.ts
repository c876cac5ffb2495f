import { beforeAll, describe, expect, it } from "vitest";
import { applicationEnvironmentPolicies } from "../registry";
import { dockerRunEnvironment } from "../../rules/dockerRun";
import { TYPES } from "../lib/guard";
import { PlatformFixture, platformFixture } from "./fixtures";
import { UNKNOWN, runResourcePolicy, withChange } from "./harness";
import { setEnv } from "./helpers";

/** Every violation the application-environment family reports for one resource. */
function violations(type: string, name: string, props: Record<string, unknown>): string[] {
    return applicationEnvironmentPolicies.flatMap(
        (policy) => runResourcePolicy(policy, { type, name, props }).violations,
    );
}

const MIGRATION = "thebot-backend-migrate-run";
const DEBUG_FINDING =
    "app-debug-disabled: environment.DEBUG: debug mode is enabled, which exposes stack traces and settings to anyone. Fix: set DEBUG=False (or remove it) for production.";

describe("application environment policies on every application container", () => {
    let fixture: PlatformFixture;
    let migration: Record<string, unknown>;
    beforeAll(async () => {
        fixture = await platformFixture();
        migration = fixture.named(MIGRATION).props;
    });

    it("passes the migration step the platform builds", () => {
        expect(String(migration.create)).toContain("--env DATABASE_URL");
        expect(violations(TYPES.command, MIGRATION, migration)).toEqual([]);
    });

    it("checks the migration step's container environment: what the Command hands docker for --env NAME", () => {
        const props = withChange(migration, (copy) => {
            copy.environment = { ...(copy.environment as object), DEBUG: "True" };
            copy.create = String(copy.create).replace("--env DATABASE_URL", "--env DATABASE_URL --env DEBUG");
        });
        expect(violations(TYPES.command, MIGRATION, props)).toEqual([`Command "${MIGRATION}" breaks ${DEBUG_FINDING}`]);
    });

    it("checks --env NAME=value on the migration's command line", () => {
        const props = withChange(migration, (copy) => {
            copy.create = String(copy.create).replace("--env DATABASE_URL", "--env DATABASE_URL --env DEBUG=True");
        });
        expect(violations(TYPES.command, MIGRATION, props)).toEqual([`Command "${MIGRATION}" breaks ${DEBUG_FINDING}`]);
    });

    it("refuses a migration against SQLite and with an in-memory broker", () => {
        const props = withChange(migration, (copy) => {
            copy.environment = {
                ...(copy.environment as object),
                DATABASE_URL: "sqlite:////app/db.sqlite3",
                CELERY_BROKER_URL: "memory://",
            };
            copy.create = String(copy.create).replace(
                "--env DATABASE_URL",
                "--env DATABASE_URL --env CELERY_BROKER_URL",
            );
        });
        const found = violations(TYPES.command, MIGRATION, props);
        expect(found.some((line) => line.includes("app-database-url-postgres: environment.DATABASE_URL:"))).toBe(true);
        expect(found.some((line) => line.includes("app-redis-broker: environment.CELERY_BROKER_URL:"))).toBe(true);
    });

    it("ignores a variable the Command has but does not pass into the container", () => {
        expect(String(migration.create)).not.toContain("--env FLASK_DEBUG");
        const props = withChange(migration, (copy) => {
            copy.environment = { ...(copy.environment as object), FLASK_DEBUG: "1" };
        });
        expect(violations(TYPES.command, MIGRATION, props)).toEqual([]);
    });

    it("ignores Commands that are no migration step, and skips unknown values at preview", () => {
        const unlabelled = withChange(migration, (copy) => {
            copy.create = String(copy.create)
                .replace("webplatform.role=migration", "webplatform.role=other")
                .replace("--env DATABASE_URL", "--env DEBUG=True");
        });
        expect(violations(TYPES.command, MIGRATION, unlabelled)).toEqual([]);
        expect(violations(TYPES.command, "x", { create: UNKNOWN, environment: { DEBUG: "True" } })).toEqual([]);
        const unknownValue = withChange(migration, (copy) => {
            copy.environment = { ...(copy.environment as object), DEBUG: UNKNOWN };
            copy.create = String(copy.create).replace("--env DATABASE_URL", "--env DATABASE_URL --env DEBUG");
        });
        expect(violations(TYPES.command, MIGRATION, unknownValue)).toEqual([]);
    });

    it.each(["thebot-daphne-1", "thebot-celery-worker-1", "thebot-celery-beat-1"])(
        "checks the worker container %s (role worker) like web",
        (name) => {
            const worker = fixture.named(name).props;
            expect(violations(TYPES.container, name, worker)).toEqual([]);
            const props = withChange(worker, (copy) => {
                setEnv(copy, "DEBUG", "True");
                setEnv(copy, "DATABASE_URL", "sqlite:////app/db.sqlite3");
                setEnv(copy, "NOTIFICATION_BROKER", "memory");
            });
            const found = violations(TYPES.container, name, props);
            expect(
                found.some((line) => line.startsWith(`Container "${name}" breaks app-debug-disabled: envs.DEBUG:`)),
            ).toBe(true);
            expect(found.some((line) => line.includes("breaks app-database-url-postgres: envs.DATABASE_URL:"))).toBe(
                true,
            );
            expect(found.some((line) => line.includes("breaks app-redis-broker: envs.NOTIFICATION_BROKER:"))).toBe(
                true,
            );
        },
    );
});

describe("dockerRunEnvironment", () => {
    it("reads --env NAME (copied from docker's environment) and --env/-e NAME=value", () => {
        expect(
            dockerRunEnvironment(
                "docker run --rm --env DATABASE_URL -e DEBUG=1 --env=A=b=c --label x=y img:1 migrate --env NOT_AN_OPTION",
            ),
        ).toEqual({ copied: ["DATABASE_URL"], values: { DEBUG: "1", A: "b=c" } });
        expect(dockerRunEnvironment("docker exec db psql")).toBeUndefined();
    });
});

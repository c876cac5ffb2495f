import { beforeEach, describe, expect, it } from "vitest";
import {
    COMMAND,
    CONTAINER,
    RANDOM_PASSWORD,
    REMOTE_IMAGE,
    VOLUME,
    isSecret,
    isSecretOutput,
    named,
    recorded,
    resetRecorded,
    settle,
    valueOf,
} from "../mocks";
import { DEFAULT_POSTGRES_IMAGE, Postgres, passwordSyncInput } from "../../components/postgres";
import { parseConnectionUrl } from "../../rules/connectionUrl";

describe("Postgres", () => {
    beforeEach(resetRecorded);

    async function deploy(args: Partial<ConstructorParameters<typeof Postgres>[1]> = {}) {
        const postgres = new Postgres("db", { network: "private-net", ...args });
        const url = await valueOf(postgres.url);
        await settle();
        return { postgres, url };
    }

    it("creates exactly a password, an image, a data volume and one server container", async () => {
        await deploy();
        expect(recorded.map((resource) => `${resource.type}::${resource.name}`).sort()).toEqual([
            `${COMMAND}::db-password-sync`,
            `${CONTAINER}::db-server`,
            `${REMOTE_IMAGE}::db-image`,
            `${VOLUME}::db-data`,
            `${RANDOM_PASSWORD}::db-password`,
            "webplatform:index:Postgres::db",
        ]);
        for (const child of recorded.filter((resource) => resource.type !== "webplatform:index:Postgres")) {
            expect(child.parent).toBe(named("db").urn);
        }
    });

    it("generates a URL-safe password of at least 40 characters", async () => {
        await deploy();
        expect(named("db-password").inputs).toMatchObject({
            length: 40,
            special: false,
            upper: true,
            lower: true,
            numeric: true,
        });
    });

    it("applies the generated password to the role after the server is healthy, without it in any argv", async () => {
        const { postgres } = await deploy({ user: "thebot", database: "thebot_db" });
        const sync = named("db-password-sync");
        const password = await valueOf(postgres.password);
        // psql reads the password on stdin: it is in the argv of neither the docker CLI nor psql.
        expect(sync.inputs.create).toBe("docker exec -i db psql -v ON_ERROR_STOP=1 -U thebot -d thebot_db -q 2>&1");
        expect(sync.inputs.create).not.toContain(password);
        expect(isSecret(sync.wireInputs.stdin)).toBe(true);
        expect(sync.inputs.stdin).toBe(
            `\\set new_password '${password}'\nALTER ROLE thebot PASSWORD :'new_password';\n`,
        );
        expect(sync.inputs.environment).toBeUndefined();
        expect(sync.additionalSecretOutputs).toEqual(["stdout", "stderr"]);
        expect(sync.dependencies).toContain(named("db-server").urn);
        expect(sync.replaceOnChanges).toEqual(["triggers[*]"]);
    });

    it("quotes the password for psql's \\set, whatever it holds", () => {
        expect(passwordSyncInput("app", "it's\\x")).toBe(
            "\\set new_password 'it''s\\\\x'\nALTER ROLE app PASSWORD :'new_password';\n",
        );
    });

    it("pins the official image by digest by default", async () => {
        await deploy();
        expect(named("db-image").inputs.name).toBe(DEFAULT_POSTGRES_IMAGE);
        expect(DEFAULT_POSTGRES_IMAGE).toMatch(/@sha256:[a-f0-9]{64}$/);
    });

    it("checks health with pg_isready naming both user and database", async () => {
        await deploy({ user: "thebot", database: "thebot_db" });
        const container = named("db-server").inputs;
        expect(container.healthcheck.tests).toEqual([
            "CMD",
            "pg_isready",
            "-U",
            "thebot",
            "-d",
            "thebot_db",
            "-h",
            "127.0.0.1",
        ]);
        expect(container.healthcheck).toMatchObject({
            interval: "3s",
            timeout: "3s",
            retries: 10,
            startPeriod: "1m0s",
        });
        expect(container.healthcheck.startInterval).toBeUndefined();
        expect(container.wait).toBe(true);
    });

    it("keeps data on a volume that destroy leaves on the engine, unless deletion is allowed", async () => {
        await deploy();
        const volume = named("db-data");
        expect(volume.protect).toBe(false);
        expect(volume.retainOnDelete).toBe(true);
        expect(named("db-server").inputs.volumes).toEqual([
            { volumeName: "db-data", containerPath: "/var/lib/postgresql/data" },
        ]);
        resetRecorded();
        await deploy({ allowDataDeletion: true });
        expect(named("db-data").retainOnDelete).toBe(false);
    });

    it("publishes no port by default and only on 127.0.0.1 when asked", async () => {
        await deploy();
        expect(named("db-server").inputs.ports).toEqual([]);
        resetRecorded();
        await deploy({ hostPort: 15432 });
        expect(named("db-server").inputs.ports).toEqual([
            { internal: 5432, external: 15432, ip: "127.0.0.1", protocol: "tcp" },
        ]);
    });

    it("runs hardened: non-root, read-only, no new privileges, no capabilities, limits, bounded restarts, rotated logs", async () => {
        await deploy();
        const container = named("db-server").inputs;
        expect(container).toMatchObject({
            user: "postgres",
            readOnly: true,
            privileged: false,
            init: true,
            securityOpts: ["no-new-privileges:true"],
            capabilities: { drops: ["ALL"], adds: [] },
            memory: 1024,
            memorySwap: 1024,
            cpus: "1.0",
            restart: "on-failure",
            maxRetryCount: 5,
            logDriver: "json-file",
            logOpts: { "max-size": "10m", "max-file": "5" },
            networksAdvanced: [{ name: "private-net", aliases: ["db"] }],
        });
        expect(Object.keys(container.tmpfs).sort()).toEqual(["/tmp", "/var/run/postgresql"]);
    });

    it("passes the password only as a secret and builds a secret URL that parses back to its parts", async () => {
        const { postgres, url } = await deploy();
        const server = named("db-server");
        expect(isSecret(server.wireInputs.envs)).toBe(true);
        expect(server.inputs.envs.map((entry: string) => entry.split("=")[0])).toEqual([
            "POSTGRES_DB",
            "POSTGRES_PASSWORD",
            "POSTGRES_USER",
        ]);
        expect(await isSecretOutput(postgres.url)).toBe(true);
        const password = await valueOf(postgres.password);
        expect(parseConnectionUrl(url)).toEqual({
            scheme: "postgresql",
            username: "app",
            password,
            host: "db",
            port: 5432,
            database: "app",
        });
    });
});

import { beforeEach, describe, expect, it } from "vitest";
import {
    NETWORK,
    RANDOM_PASSWORD,
    REMOTE_IMAGE,
    isSecret,
    isSecretOutput,
    named,
    ofType,
    recorded,
    resetRecorded,
    settle,
    valueOf,
} from "../mocks";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { LOG_ROTATION, MAX_RESTARTS } from "../../components/hardening";
import { DEFAULT_POSTGRES_IMAGE } from "../../components/schemas/postgres";
import { DEFAULT_REDIS_IMAGE } from "../../components/schemas/redis";
import {
    DATASTORE_UPDATE_MONITOR,
    POSTGRES_PASSWORD_FILE,
    POSTGRES_UID,
    REDIS_CONFIG_FILE,
    SECRETS_DIRECTORY,
    SwarmPostgres,
    SwarmRedis,
    nodeLabelConstraint,
    privateOverlayNetwork,
    serviceHealthcheck,
} from "../../components/swarm";
import { OVERLAY_ENCRYPTED_OPTION, overlayEncrypted } from "../../rules/swarm/overlay";
import { parseConnectionUrl } from "../../rules/connectionUrl";

/** The imageId the mocks give a RemoteImage of this reference. */
function imageId(reference: string): string {
    return `sha256:${createHash("sha256").update(reference).digest("hex")}`;
}

const SECRET = "docker:index/secret:Secret";
const SERVICE = "docker:index/service:Service";
const MIB = 1024 * 1024;
const NODE_LABEL = "webplatform.datastore=true";

/** The hardening every datastore task carries, as the service API takes it. */
function expectHardenedTask(taskSpec: Record<string, any>, user: string, memoryMb: number, nanoCpus: number) {
    const container = taskSpec.containerSpec;
    expect(container.user).toBe(user);
    expect(container.readOnly).toBe(true);
    expect(container.capDrops).toEqual(["ALL"]);
    expect(container.capAdds).toEqual([]);
    expect(container.init).toBe(true);
    expect(container.stopGracePeriod).toBe("30s");
    expect(taskSpec.resources).toEqual({ limits: { memoryBytes: memoryMb * MIB, nanoCpus } });
    expect(taskSpec.restartPolicy).toEqual({ condition: "on-failure", maxAttempts: MAX_RESTARTS, delay: "5s" });
    expect(taskSpec.logDriver).toEqual({ name: "json-file", options: { ...LOG_ROTATION } });
}

/** The single-replica, pinned, stop-first contract of a datastore service. */
function expectPinnedSingleReplica(service: Record<string, any>, name: string) {
    expect(service.name).toBe(name);
    expect(service.mode).toEqual({ replicated: { replicas: 1 } });
    expect(service.endpointSpec).toEqual({ mode: "dnsrr" });
    expect(service.taskSpec.placement).toEqual({
        constraints: ["node.labels.webplatform.datastore==true"],
        maxReplicas: 1,
    });
    expect(service.taskSpec.networksAdvanceds).toEqual([{ name: "private-overlay", aliases: [name] }]);
    expect(service.updateConfig).toEqual({
        order: "stop-first",
        failureAction: "rollback",
        parallelism: 1,
        monitor: DATASTORE_UPDATE_MONITOR,
    });
    expect(service.rollbackConfig).toEqual({
        order: "stop-first",
        failureAction: "pause",
        parallelism: 1,
        monitor: DATASTORE_UPDATE_MONITOR,
    });
    expect(service.convergeConfig).toEqual({ delay: "2s", timeout: "3m" });
}

/** Every string anywhere in a value, for "the password appears nowhere" checks. */
function strings(value: unknown): string[] {
    if (typeof value === "string") {
        return [value];
    }
    if (Array.isArray(value)) {
        return value.flatMap(strings);
    }
    if (value && typeof value === "object") {
        return Object.values(value).flatMap(strings);
    }
    return [];
}

describe("SwarmPostgres", () => {
    beforeEach(resetRecorded);

    async function deploy(args: Partial<ConstructorParameters<typeof SwarmPostgres>[1]> = {}) {
        const postgres = new SwarmPostgres("db", { network: "private-overlay", nodeLabel: NODE_LABEL, ...args });
        await valueOf(postgres.url);
        await settle();
        return postgres;
    }

    it("creates exactly a password, an image, a Docker secret and one service, and no volume", async () => {
        await deploy();
        expect(recorded.map((resource) => `${resource.type} ${resource.name}`).sort()).toEqual([
            `${REMOTE_IMAGE} db-image`,
            `${SECRET} db-secret`,
            `${SERVICE} db-service`,
            `${RANDOM_PASSWORD} db-password`,
            "webplatform:swarm:Postgres db",
        ]);
        const component = named("db");
        for (const child of ["db-password", "db-image", "db-secret", "db-service"]) {
            expect(named(child).parent).toBe(component.urn);
        }
        expect(named("db-image").inputs.name).toBe(DEFAULT_POSTGRES_IMAGE);
    });

    it("runs the pulled image as one replica pinned to the datastore node, stop-first, on the overlay", async () => {
        await deploy();
        const service = named("db-service").inputs;
        // The mocks give a RemoteImage the digest of its name as imageId: the service runs the pulled image.
        expect(service.taskSpec.containerSpec.image).toBe(imageId(DEFAULT_POSTGRES_IMAGE));
        expectPinnedSingleReplica(service, "db");
    });

    it("delivers the password as a secret Docker secret mounted as a file, never in env", async () => {
        const postgres = await deploy();
        const password = await valueOf(postgres.password);
        const secret = named("db-secret");
        expect(isSecret(secret.wireInputs.data)).toBe(true);
        expect(Buffer.from(secret.inputs.data, "base64").toString("utf8")).toBe(password);

        const container = named("db-service").inputs.taskSpec.containerSpec;
        expect(container.secrets).toEqual([
            {
                secretId: "db-secret-id",
                secretName: secret.inputs.name,
                fileName: POSTGRES_PASSWORD_FILE,
                fileUid: "70",
                fileGid: "70",
                fileMode: 0o400,
            },
        ]);
        expect(container.env).toEqual({
            POSTGRES_DB: "app",
            POSTGRES_USER: "app",
            POSTGRES_PASSWORD_FILE: `${SECRETS_DIRECTORY}/${POSTGRES_PASSWORD_FILE}`,
        });
        expect(container.env).not.toHaveProperty("POSTGRES_PASSWORD");
        expect(strings(named("db-service").inputs).some((text) => text.includes(password))).toBe(false);
    });

    it("owns the password file by the default alpine image's postgres uid (70), which alone may read it", () => {
        expect(DEFAULT_POSTGRES_IMAGE).toMatch(/^postgres:[^@]*-alpine@/);
        expect(POSTGRES_UID).toBe("70");
    });

    it("hardens the task: postgres user, read-only root, all capabilities dropped, init, limits", async () => {
        await deploy({ limits: { memoryMb: 512, cpus: "0.5" } });
        const service = named("db-service").inputs;
        expectHardenedTask(service.taskSpec, "postgres", 512, 500_000_000);
        expect(service.taskSpec.containerSpec.mounts).toEqual([
            { type: "volume", source: "db-data", target: "/var/lib/postgresql/data" },
            { type: "tmpfs", target: "/var/run/postgresql", tmpfsOptions: { sizeBytes: 16 * MIB } },
            { type: "tmpfs", target: "/tmp", tmpfsOptions: { sizeBytes: 64 * MIB } },
        ]);
    });

    it("checks health in exec form with pg_isready naming the role and the database", async () => {
        await deploy({ database: "shop", user: "shopper" });
        const container = named("db-service").inputs.taskSpec.containerSpec;
        expect(container.healthcheck).toEqual({
            tests: ["CMD", "pg_isready", "-U", "shopper", "-d", "shop", "-h", "127.0.0.1"],
            interval: "3s",
            timeout: "3s",
            retries: 10,
            startPeriod: "1m0s",
        });
        expect(container.env.POSTGRES_DB).toBe("shop");
        expect(container.env.POSTGRES_USER).toBe("shopper");
    });

    it("labels the secret, the service and its containers with component and role", async () => {
        await deploy();
        const labels = [
            { label: "webplatform.component", value: "db" },
            { label: "webplatform.role", value: "database" },
        ];
        expect(named("db-secret").inputs.labels).toEqual(labels);
        expect(named("db-service").inputs.labels).toEqual(labels);
        expect(named("db-service").inputs.taskSpec.containerSpec.labels).toEqual(labels);
    });

    it("hands out a secret URL that names the service as host", async () => {
        const postgres = await deploy();
        expect(await isSecretOutput(postgres.url)).toBe(true);
        // The mocks do not mark a RandomPassword's result secret; the engine does, because the SDK asks it to.
        expect(named("db-password").additionalSecretOutputs).toContain("result");
        expect(parseConnectionUrl(await valueOf(postgres.url))).toEqual({
            scheme: "postgresql",
            username: "app",
            password: await valueOf(postgres.password),
            host: "db",
            port: 5432,
            database: "app",
        });
        expect(postgres.volumeName).toBe("db-data");
    });

    it("refuses a host port, which would publish on every node", () => {
        expect(
            () => new SwarmPostgres("db", { network: "private-overlay", nodeLabel: NODE_LABEL, hostPort: 5433 }),
        ).toThrow(/hostPort is not supported on a swarm/);
    });
});

describe("SwarmRedis", () => {
    beforeEach(resetRecorded);

    async function deploy(args: Partial<ConstructorParameters<typeof SwarmRedis>[1]> = {}) {
        const redis = new SwarmRedis("cache", { network: "private-overlay", nodeLabel: NODE_LABEL, ...args });
        for (const url of Object.values(redis.urls)) {
            await valueOf(url);
        }
        await settle();
        return redis;
    }

    it("creates exactly a password, an image, a Docker secret and one service, and no volume", async () => {
        await deploy();
        expect(recorded.map((resource) => `${resource.type} ${resource.name}`).sort()).toEqual([
            `${REMOTE_IMAGE} cache-image`,
            `${SECRET} cache-secret`,
            `${SERVICE} cache-service`,
            `${RANDOM_PASSWORD} cache-password`,
            "webplatform:swarm:Redis cache",
        ]);
        expect(named("cache-image").inputs.name).toBe(DEFAULT_REDIS_IMAGE);
    });

    it("runs one replica pinned to the datastore node, stop-first, on the overlay", async () => {
        await deploy();
        const service = named("cache-service").inputs;
        expect(service.taskSpec.containerSpec.image).toBe(imageId(DEFAULT_REDIS_IMAGE));
        expectPinnedSingleReplica(service, "cache");
    });

    it("puts requirepass in the secret config file and the password in no command, env or healthcheck", async () => {
        const redis = await deploy();
        const password = await valueOf(redis.password);
        const secret = named("cache-secret");
        expect(isSecret(secret.wireInputs.data)).toBe(true);
        const config = Buffer.from(secret.inputs.data, "base64").toString("utf8").split("\n");
        expect(config).toEqual(
            expect.arrayContaining([
                `requirepass ${password}`,
                "maxmemory 256mb",
                "maxmemory-policy noeviction",
                "databases 16",
            ]),
        );

        const service = named("cache-service").inputs;
        const container = service.taskSpec.containerSpec;
        expect(container.commands).toEqual(["redis-server", `${SECRETS_DIRECTORY}/${REDIS_CONFIG_FILE}`]);
        expect(container.env).toBeUndefined();
        expect(container.secrets).toEqual([
            {
                secretId: "cache-secret-id",
                secretName: secret.inputs.name,
                fileName: REDIS_CONFIG_FILE,
                fileUid: "999",
                fileGid: "999",
                fileMode: 0o400,
            },
        ]);
        expect(strings(service).some((text) => text.includes(password))).toBe(false);
        expect(strings(service).some((text) => text.includes("requirepass ") && !text.includes("sed"))).toBe(false);
    });

    it("authenticates its healthcheck from the mounted file, not from argv", async () => {
        await deploy();
        const container = named("cache-service").inputs.taskSpec.containerSpec;
        expect(container.healthcheck).toEqual({
            tests: [
                "CMD-SHELL",
                `REDISCLI_AUTH="$(sed -n 's/^requirepass //p' /run/secrets/redis.conf)" redis-cli --no-auth-warning ping | grep -q PONG`,
            ],
            interval: "3s",
            timeout: "3s",
            retries: 10,
            startPeriod: "1m0s",
        });
    });

    it("hardens the task: redis user, read-only root, all capabilities dropped, maxmemory plus headroom", async () => {
        await deploy();
        const service = named("cache-service").inputs;
        expectHardenedTask(service.taskSpec, "redis", 256 + 128, 500_000_000);
        expect(service.taskSpec.containerSpec.mounts).toEqual([
            { type: "volume", source: "cache-data", target: "/data" },
            { type: "tmpfs", target: "/tmp", tmpfsOptions: { sizeBytes: 16 * MIB } },
        ]);
        expect(named("cache-service").inputs.labels).toEqual([
            { label: "webplatform.component", value: "cache" },
            { label: "webplatform.role", value: "cache" },
        ]);
    });

    it("hands out one secret URL per logical database and sizes databases to fit", async () => {
        const redis = await deploy({ databases: { cache: 0, broker: 20 } });
        const password = await valueOf(redis.password);
        expect(parseConnectionUrl(await valueOf(redis.urls.broker))).toEqual({
            scheme: "redis",
            username: "",
            password,
            host: "cache",
            port: 6379,
            database: "20",
        });
        expect(await isSecretOutput(redis.urls.cache)).toBe(true);
        const config = Buffer.from(named("cache-secret").inputs.data, "base64").toString("utf8");
        expect(config.split("\n")).toContain("databases 21");
    });

    it("refuses a host port", () => {
        expect(
            () => new SwarmRedis("cache", { network: "private-overlay", nodeLabel: NODE_LABEL, hostPort: 6380 }),
        ).toThrow(/hostPort is not supported on a swarm/);
    });
});

describe("privateOverlayNetwork", () => {
    beforeEach(resetRecorded);

    async function deploy(args: Parameters<typeof privateOverlayNetwork>[1]) {
        const network = privateOverlayNetwork("private-overlay", args, {});
        await valueOf(network.id);
        await settle();
        const networks = ofType(NETWORK);
        expect(networks).toHaveLength(1);
        return networks[0].inputs;
    }

    it("is an internal, attachable overlay, encrypted when asked", async () => {
        const network = await deploy({ encrypted: true });
        expect(network).toEqual({
            name: "private-overlay",
            driver: "overlay",
            internal: true,
            attachable: true,
            options: { [OVERLAY_ENCRYPTED_OPTION]: "true" },
        });
        expect(overlayEncrypted(network.options)).toBe(true);
    });

    it("has no encryption option at all when not asked (Docker reads only the key)", async () => {
        const network = await deploy({ encrypted: false });
        expect(network.driver).toBe("overlay");
        expect(network.internal).toBe(true);
        expect(network.attachable).toBe(true);
        expect(network.options).toEqual({});
        expect(overlayEncrypted(network.options)).toBe(false);
    });

    it("sets the MTU driver option when given", async () => {
        const network = await deploy({ encrypted: false, mtu: 1400 });
        expect(network.options).toEqual({ "com.docker.network.driver.mtu": "1400" });
    });
});

describe("service hardening helpers", () => {
    it("turns a key=value node label into a placement constraint", () => {
        expect(nodeLabelConstraint("webplatform.datastore=true")).toBe("node.labels.webplatform.datastore==true");
        expect(nodeLabelConstraint("zone=a=b")).toBe("node.labels.zone==a=b");
    });

    it("puts CMD in front of a bare command and keeps an explicit form", () => {
        const timing = { interval: "90s", timeout: "5s", retries: 3, startPeriod: "10s" };
        expect(serviceHealthcheck(["true"], timing)).toEqual({
            tests: ["CMD", "true"],
            interval: "1m30s",
            timeout: "5s",
            retries: 3,
            startPeriod: "10s",
        });
        expect(serviceHealthcheck(["CMD-SHELL", "true"], timing).tests).toEqual(["CMD-SHELL", "true"]);
    });

    it("passes an Output network through to the service", async () => {
        resetRecorded();
        new SwarmPostgres("db", { network: pulumi.output("overlay-id"), nodeLabel: NODE_LABEL });
        await settle();
        await settle();
        expect(named("db-service").inputs.taskSpec.networksAdvanceds).toEqual([
            { name: "overlay-id", aliases: ["db"] },
        ]);
    });
});

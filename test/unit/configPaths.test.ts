import { beforeEach, describe, expect, it } from "vitest";
import { CONTAINER, RecordedResource, named, recorded, resetRecorded, settle, valueOf } from "../mocks";
import { Platform, PlatformArgs } from "../../components/platform";
import { Redis } from "../../components/redis";
import { DEFAULT_REDIS_MAX_MEMORY_MB, REDIS_MEMORY_HEADROOM_MB } from "../../components/schemas/redis";
import { parseStackConfig } from "../../config/stackConfig";

/**
 * Stack config and a program that builds the Platform itself must deploy exactly the same resources for the same
 * settings: the config layer only spells the components' schemas as config keys and restates no default.
 */

/** Every registered resource's inputs, by resource name. */
async function deployed(args: PlatformArgs): Promise<Record<string, RecordedResource["inputs"]>> {
    resetRecorded();
    const platform = new Platform("wp-dev", args);
    await valueOf(platform.backend.migration.log);
    await settle();
    return Object.fromEntries(recorded.map((resource) => [`${resource.type}::${resource.name}`, resource.inputs]));
}

function fromConfig(raw: Record<string, unknown>): PlatformArgs {
    return parseStackConfig(raw, { stack: "dev", secretKeys: ["webplatform:secretEnv"] }, (value) => value);
}

const base = { environment: "development", domain: "localhost" } as const;

describe("the config path and the component path", () => {
    beforeEach(resetRecorded);

    it("deploy the same resources when nothing but the required settings is given", async () => {
        const config = await deployed(
            fromConfig({ ...base, backend: { image: "app:1.0.0", migrationCommand: ["app", "migrate"] } }),
        );
        const direct = await deployed({
            ...base,
            backend: { image: { reference: "app:1.0.0" }, migrationCommand: ["app", "migrate"] },
        });
        expect(Object.keys(config).length).toBeGreaterThan(20);
        expect(config).toEqual(direct);
    });

    it("deploy the same resources when every component's limits are set in part", async () => {
        const config = await deployed(
            fromConfig({
                ...base,
                postgres: { cpus: "2" },
                redis: { maxMemoryMb: 1024, cpus: "1" },
                backup: { memoryMb: 512, keep: 3 },
                backend: { build: { context: "./app", tag: "app:3f9c2e1" }, migrationCommand: ["m"], memoryMb: 2048 },
                workers: { worker: { command: ["w"], healthcheckCommand: ["h"], cpus: "0.25", env: { PORT: 8001 } } },
                secretEnv: { TOKEN: "123:abc" },
            }),
        );
        const direct = await deployed({
            ...base,
            postgres: { limits: { cpus: "2" } },
            redis: { maxMemoryMb: 1024, limits: { cpus: "1" } },
            backup: { limits: { memoryMb: 512 }, keep: 3 },
            backend: {
                image: { build: { context: "./app", tag: "app:3f9c2e1" } },
                migrationCommand: ["m"],
                limits: { memoryMb: 2048 },
                secretEnv: { TOKEN: "123:abc" },
            },
            workers: {
                worker: { command: ["w"], healthcheckCommand: ["h"], limits: { cpus: "0.25" }, env: { PORT: "8001" } },
            },
        });
        expect(config).toEqual(direct);
        expect(config[`${CONTAINER}::wp-dev-redis-server`]).toMatchObject({ memory: 1024 + REDIS_MEMORY_HEADROOM_MB });
        expect(config[`${CONTAINER}::wp-dev-postgres-server`]).toMatchObject({ cpus: "2.0" });
        expect(config[`${CONTAINER}::wp-dev-worker-1`]).toMatchObject({ cpus: "0.25" });
    });

    it("give Redis the memory the component gives it alone: maxmemory plus headroom, whatever else is set", async () => {
        const redis = new Redis("cache", { network: "private", maxMemoryMb: 1024, limits: { cpus: "1" } });
        await valueOf(redis.urls.default);
        await settle();
        expect(named("cache-server").inputs).toMatchObject({ memory: 1024 + REDIS_MEMORY_HEADROOM_MB, cpus: "1.0" });

        const platform = await deployed(fromConfig({ ...base, backend: { image: "a:1", migrationCommand: ["m"] } }));
        expect(platform[`${CONTAINER}::wp-dev-redis-server`]).toMatchObject({
            memory: DEFAULT_REDIS_MAX_MEMORY_MB + REDIS_MEMORY_HEADROOM_MB,
        });
    });
});

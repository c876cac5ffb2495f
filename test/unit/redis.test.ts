import { beforeEach, describe, expect, it } from "vitest";
import { isSecret, named, recorded, resetRecorded, settle, valueOf } from "../mocks";
import { parseConnectionUrl } from "../../rules/connectionUrl";
import { Redis, renderRedisConfig } from "../../components/redis";

describe("Redis", () => {
    beforeEach(resetRecorded);

    async function deploy(args: Partial<ConstructorParameters<typeof Redis>[1]> = {}) {
        const redis = new Redis("cache", { network: "private-net", ...args });
        for (const url of Object.values(redis.urls)) {
            await valueOf(url);
        }
        await settle();
        return redis;
    }

    it("creates a password, an image, a retained volume and one server container", async () => {
        await deploy();
        expect(recorded.map((resource) => resource.name).sort()).toEqual([
            "cache",
            "cache-data",
            "cache-image",
            "cache-password",
            "cache-server",
        ]);
        expect(named("cache-data").retainOnDelete).toBe(true);
        expect(named("cache-data").protect).toBe(false);
    });

    it("keeps the password out of the command line and in secret environment only", async () => {
        const redis = await deploy();
        const server = named("cache-server");
        const password = await valueOf(redis.password);
        expect(server.inputs.command.join(" ")).not.toContain(password);
        expect(server.inputs.command.join(" ")).not.toContain("requirepass");
        expect(isSecret(server.wireInputs.envs)).toBe(true);
        expect(server.inputs.envs.map((entry: string) => entry.split("=")[0])).toEqual([
            "REDISCLI_AUTH",
            "REDIS_CONFIG",
        ]);
        expect(server.inputs.envs[1]).toContain(`requirepass ${password}`);
    });

    it("authenticates its healthcheck through REDISCLI_AUTH and waits for health", async () => {
        await deploy();
        const server = named("cache-server").inputs;
        expect(server.healthcheck.tests).toEqual(["CMD-SHELL", "redis-cli --no-auth-warning ping | grep -q PONG"]);
        expect(server.wait).toBe(true);
    });

    it("persists with appendonly on /data, bounds memory and never evicts a broker's jobs by default", () => {
        const text = renderRedisConfig({
            password: "x",
            maxMemoryMb: 256,
            evictionPolicy: "noeviction",
            databases: 16,
        });
        expect(text.split("\n")).toEqual(
            expect.arrayContaining([
                "appendonly yes",
                "dir /data",
                "maxmemory 256mb",
                "maxmemory-policy noeviction",
                "requirepass x",
            ]),
        );
    });

    it("hands out one secret URL per logical database", async () => {
        const redis = await deploy({ databases: { cache: 0, broker: 1, channels: 2 } });
        const password = await valueOf(redis.password);
        for (const [purpose, index] of [
            ["cache", "0"],
            ["broker", "1"],
            ["channels", "2"],
        ]) {
            expect(parseConnectionUrl(await valueOf(redis.urls[purpose]))).toEqual({
                scheme: "redis",
                username: "",
                password,
                host: "cache",
                port: 6379,
                database: index,
            });
        }
    });

    it("publishes nothing unless asked, then only on loopback", async () => {
        await deploy();
        expect(named("cache-server").inputs.ports).toEqual([]);
        resetRecorded();
        await deploy({ hostPort: 16379 });
        expect(named("cache-server").inputs.ports).toEqual([
            { internal: 6379, external: 16379, ip: "127.0.0.1", protocol: "tcp" },
        ]);
    });

    it("runs as the redis user on a read-only root filesystem with the hardening defaults", async () => {
        await deploy();
        expect(named("cache-server").inputs).toMatchObject({
            user: "redis",
            readOnly: true,
            securityOpts: ["no-new-privileges:true"],
            capabilities: { drops: ["ALL"] },
            restart: "on-failure",
            maxRetryCount: 5,
            memory: 384,
        });
    });
});

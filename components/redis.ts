import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { secretConnectionUrl } from "./connectionUrl";
import { DEFAULT_HEALTH_TIMING, HealthTiming, containerLabels, hardenedContainerArgs, healthcheck } from "./hardening";
import { engineImage } from "./image";
import { REDIS_PORT, RedisEvictionPolicy, RedisSettings, redisLimits, redisSettingsSchema } from "./schemas/redis";
import { parseSettings } from "./schemas/settings";
import { GENERATED_SECRET_LENGTHS, urlSafeSecret } from "./secrets";

export { DEFAULT_REDIS_IMAGE } from "./schemas/redis";
export type { RedisEvictionPolicy } from "./schemas/redis";

/**
 * Where the generated configuration file is written inside the container: the /tmp tmpfs. A tmpfs on a directory
 * the image lacks (such as /run/redis) comes back root-owned 0755 when Docker restarts the container, so the
 * non-root server could no longer write its config and a crash or engine restart would leave it down for good.
 */
export const REDIS_CONFIG_PATH = "/tmp/redis.conf";

/** A RedisSettings (components/schemas/redis.ts) and where the server runs. */
export interface RedisArgs extends RedisSettings {
    /** Docker network Redis joins. */
    readonly network: pulumi.Input<string>;
    /**
     * Logical databases handed out as separate URLs, e.g. { cache: 0, broker: 1, channels: 2 }.
     * Default: { default: 0 }.
     */
    readonly databases?: Readonly<Record<string, number>>;
    /** Change to rotate the generated password. Default: no rotation. */
    readonly passwordRotation?: pulumi.Input<string>;
    /** Healthcheck timing. Default: DEFAULT_HEALTH_TIMING. */
    readonly healthTiming?: HealthTiming;
}

/** redis.conf text; deterministic so the upload only changes when a setting does. */
export function renderRedisConfig(settings: {
    readonly password: string;
    readonly maxMemoryMb: number;
    readonly evictionPolicy: RedisEvictionPolicy;
    readonly databases: number;
}): string {
    return [
        "bind 0.0.0.0",
        "port 6379",
        "protected-mode yes",
        `requirepass ${settings.password}`,
        "dir /data",
        "appendonly yes",
        "appendfsync everysec",
        `maxmemory ${settings.maxMemoryMb}mb`,
        `maxmemory-policy ${settings.evictionPolicy}`,
        `databases ${settings.databases}`,
        // Administrative commands an application never needs.
        'rename-command FLUSHALL ""',
        'rename-command DEBUG ""',
        "",
    ].join("\n");
}

/**
 * Redis with a generated password that appears in no command line (`ps`, `docker inspect` Cmd), append-only
 * persistence on a retained volume, and an authenticated healthcheck.
 */
export class Redis extends pulumi.ComponentResource {
    public readonly host: pulumi.Output<string>;
    public readonly port: number;
    /** Generated password; a secret. */
    public readonly password: pulumi.Output<string>;
    /** One secret URL per logical database name. */
    public readonly urls: Readonly<Record<string, pulumi.Output<string>>>;
    public readonly volume: docker.Volume;
    public readonly container: docker.Container;
    /** Names of its container and volume on the engine, for summaries. */
    public readonly containerNames: readonly string[];
    public readonly volumeNames: readonly string[];

    constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webplatform:index:Redis", name, {}, opts);
        const databases = args.databases ?? { default: 0 };
        const settings = parseSettings(name, redisSettingsSchema, args);
        const { maxMemoryMb, evictionPolicy } = settings;
        const limits = redisLimits(settings);
        const childOpts: pulumi.CustomResourceOptions = { parent: this };
        const databaseCount = Math.max(16, ...Object.values(databases).map((index) => index + 1));

        const password = urlSafeSecret(
            `${name}-password`,
            { length: GENERATED_SECRET_LENGTHS.password, rotation: args.passwordRotation },
            { parent: this },
        );
        const image = engineImage(`${name}-image`, settings.image, childOpts);

        const keepData = !settings.allowDataDeletion;
        this.volume = new docker.Volume(
            `${name}-data`,
            { name: `${name}-data` },
            // Retained, not protected: `pulumi destroy` completes and the volume stays on the engine with its data.
            { ...childOpts, retainOnDelete: keepData },
        );

        const hostName = `${name}`;
        const config = password.result.apply((value) =>
            renderRedisConfig({ password: value, maxMemoryMb, evictionPolicy, databases: databaseCount }),
        );
        this.container = new docker.Container(
            `${name}-server`,
            {
                name: hostName,
                image: image.imageId,
                user: "redis",
                // The config (with requirepass) arrives in the environment and is written to tmpfs at start, so
                // the password is in no command line and the root filesystem stays read-only.
                command: [
                    "sh",
                    "-c",
                    `(umask 077 && printf '%s\\n' "$REDIS_CONFIG" > ${REDIS_CONFIG_PATH}) && exec redis-server ${REDIS_CONFIG_PATH}`,
                ],
                // redis-cli reads the password from REDISCLI_AUTH, so the healthcheck has none in its argv.
                envs: pulumi.secret(
                    pulumi
                        .all([password.result, config])
                        .apply(([value, text]) => [`REDISCLI_AUTH=${value}`, `REDIS_CONFIG=${text}`]),
                ),
                labels: containerLabels(name, "cache"),
                volumes: [{ volumeName: this.volume.name, containerPath: "/data" }],
                readOnly: true,
                tmpfs: { "/tmp": "rw,size=16m" },
                networksAdvanced: [{ name: args.network, aliases: [hostName] }],
                ports:
                    settings.hostPort === undefined
                        ? []
                        : [{ internal: REDIS_PORT, external: settings.hostPort, ip: "127.0.0.1", protocol: "tcp" }],
                healthcheck: healthcheck(
                    ["CMD-SHELL", "redis-cli --no-auth-warning ping | grep -q PONG"],
                    args.healthTiming ?? DEFAULT_HEALTH_TIMING,
                ),
                wait: true,
                waitTimeout: 120,
                ...hardenedContainerArgs({ limits }),
            },
            // Children do not inherit a component's dependsOn, so the container takes it over explicitly.
            { ...childOpts, deleteBeforeReplace: true, dependsOn: opts?.dependsOn },
        );

        this.host = this.container.name;
        this.port = REDIS_PORT;
        this.containerNames = [hostName];
        this.volumeNames = [`${name}-data`];
        this.password = password.result;
        const urls = redisDatabaseUrls(password.result, this.host, this.port, databases);
        this.urls = urls;
        this.registerOutputs({ host: this.host, port: this.port, urls });
    }
}

/** One secret `redis://:password@host:port/N` URL per purpose, each on its own database number. */
export function redisDatabaseUrls(
    password: pulumi.Input<string>,
    host: pulumi.Input<string>,
    port: number,
    databases: Readonly<Record<string, number>>,
): Record<string, pulumi.Output<string>> {
    return Object.fromEntries(
        Object.entries(databases).map(([purpose, index]) => [
            purpose,
            secretConnectionUrl({ scheme: "redis", username: "", password, host, port, database: String(index) }),
        ]),
    );
}

import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_HEALTH_TIMING, HealthTiming } from "../hardening";
import { engineImage } from "../image";
import { redisDatabaseUrls, renderRedisConfig } from "../redis";
import { REDIS_PORT, RedisSettings, redisLimits, redisSettingsSchema } from "../schemas/redis";
import { parseSettings } from "../schemas/settings";
import { GENERATED_SECRET_LENGTHS, urlSafeSecret } from "../secrets";
import { SECRETS_DIRECTORY, swarmDatastore } from "./swarmDatastore";

/** The file the whole generated redis.conf (with requirepass) is mounted as. */
export const REDIS_CONFIG_FILE = "redis.conf";
/** The redis user's uid in the image (999), owner of the config file. */
const REDIS_UID = "999";

export interface SwarmRedisArgs extends RedisSettings {
    /** The private overlay network, by ID or name. */
    readonly network: pulumi.Input<string>;
    /** key=value of the one node that holds the data volume. */
    readonly nodeLabel: string;
    /** Logical databases handed out as separate URLs, e.g. { cache: 0, broker: 1 }. Default: { default: 0 }. */
    readonly databases?: Readonly<Record<string, number>>;
    /** Change to rotate the generated password. Default: no rotation. */
    readonly passwordRotation?: pulumi.Input<string>;
    /** Healthcheck timing. Default: DEFAULT_HEALTH_TIMING. */
    readonly healthTiming?: HealthTiming;
}

/**
 * Redis as a single-replica swarm service pinned to its data node. The host target's redis.conf (requirepass,
 * append-only, maxmemory, admin commands renamed away) is the Docker secret, mounted as the server's config file,
 * so the password is in no command line, environment or service spec; the healthcheck reads it from that file
 * into REDISCLI_AUTH, so its argv holds none either.
 */
export class SwarmRedis extends pulumi.ComponentResource {
    public readonly host: string;
    public readonly port: number;
    /** Generated password; a secret. */
    public readonly password: pulumi.Output<string>;
    /** One secret URL per logical database name. */
    public readonly urls: Readonly<Record<string, pulumi.Output<string>>>;
    public readonly secret: docker.Secret;
    public readonly service: docker.Service;
    /** Name of the volume on the data node. */
    public readonly volumeName: string;

    constructor(name: string, args: SwarmRedisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webplatform:swarm:Redis", name, {}, opts);
        const settings = parseSettings(name, redisSettingsSchema, args);
        if (settings.hostPort !== undefined) {
            throw new Error(
                `${name}: hostPort is not supported on a swarm (a published port would open on every node). Fix: remove webplatform:redis.hostPort, or use target: host.`,
            );
        }
        const databases = args.databases ?? { default: 0 };
        const databaseCount = Math.max(16, ...Object.values(databases).map((index) => index + 1));
        const { maxMemoryMb, evictionPolicy } = settings;
        const childOpts: pulumi.CustomResourceOptions = { parent: this, dependsOn: opts?.dependsOn };
        const password = urlSafeSecret(
            `${name}-password`,
            { length: GENERATED_SECRET_LENGTHS.password, rotation: args.passwordRotation },
            { parent: this },
        );
        const image = engineImage(`${name}-image`, settings.image, { parent: this });
        const configPath = `${SECRETS_DIRECTORY}/${REDIS_CONFIG_FILE}`;
        const { secret, service } = swarmDatastore(
            name,
            {
                role: "cache",
                image: image.imageId,
                user: "redis",
                uid: REDIS_UID,
                secretData: password.result.apply((value) =>
                    renderRedisConfig({ password: value, maxMemoryMb, evictionPolicy, databases: databaseCount }),
                ),
                secretFile: REDIS_CONFIG_FILE,
                command: ["redis-server", configPath],
                volumeTarget: "/data",
                tmpfs: { "/tmp": 16 },
                healthcheck: [
                    "CMD-SHELL",
                    `REDISCLI_AUTH="$(sed -n 's/^requirepass //p' ${configPath})" redis-cli --no-auth-warning ping | grep -q PONG`,
                ],
                healthTiming: args.healthTiming ?? DEFAULT_HEALTH_TIMING,
                limits: redisLimits(settings),
                network: args.network,
                nodeLabel: args.nodeLabel,
            },
            childOpts,
        );
        this.secret = secret;
        this.service = service;
        this.host = name;
        this.port = REDIS_PORT;
        this.volumeName = `${name}-data`;
        this.password = password.result;
        const urls = redisDatabaseUrls(password.result, name, REDIS_PORT, databases);
        this.urls = urls;
        this.registerOutputs({ host: this.host, port: this.port, urls });
    }
}

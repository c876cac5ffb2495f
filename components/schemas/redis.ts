import { z } from "zod";
import { port } from "./fields";
import { imageSource } from "./image";
import { resourceLimitsWithDerivedMemory } from "./limits";

/**
 * Official redis 7 pinned by digest. The digest is taken from public pins of this tag; this machine reaches no
 * registry to re-check it.
 */
export const DEFAULT_REDIS_IMAGE =
    "redis:7-alpine@sha256:de13e74e14b98eb96bdf886791ae47686c3c5d29f9d5f85ea55206843e3fce26";

/** The port the server listens on inside its network. */
export const REDIS_PORT = 6379;

/** `maxmemory` in MiB when a stack sets none. */
export const DEFAULT_REDIS_MAX_MEMORY_MB = 256;

/**
 * Memory the container gets above `maxmemory` when a stack sets no memory limit: maxmemory bounds the data set
 * only, and the server also needs room for its own buffers, the append-only file rewrite and client output.
 */
export const REDIS_MEMORY_HEADROOM_MB = 128;

export const REDIS_EVICTION_POLICIES = [
    "noeviction",
    "allkeys-lru",
    "volatile-lru",
    "allkeys-lfu",
    "volatile-lfu",
    "allkeys-random",
    "volatile-random",
    "volatile-ttl",
] as const;

export type RedisEvictionPolicy = (typeof REDIS_EVICTION_POLICIES)[number];

/** What a stack decides about its Redis server; each default is given here and nowhere else. */
export const redisSettingsSchema = z.strictObject({
    /** Image to run. Default: DEFAULT_REDIS_IMAGE (official redis 7, pinned by digest). */
    image: imageSource.default({ reference: DEFAULT_REDIS_IMAGE }),
    /** `maxmemory` in MiB. Default: DEFAULT_REDIS_MAX_MEMORY_MB. */
    maxMemoryMb: z.number().int().min(16).default(DEFAULT_REDIS_MAX_MEMORY_MB),
    /**
     * `maxmemory-policy`. Default: "noeviction", because a Celery broker must never lose queued jobs; use an
     * LRU policy for a cache-only instance.
     */
    evictionPolicy: z.enum(REDIS_EVICTION_POLICIES).default("noeviction"),
    /** Publish 6379 on 127.0.0.1 at this port. Default: not published. */
    hostPort: port.optional(),
    /** Allow `pulumi destroy` to delete the data volume. Default: false. */
    allowDataDeletion: z.boolean().default(false),
    /** Memory and CPU ceilings. Default: maxmemory plus REDIS_MEMORY_HEADROOM_MB, 0.5 CPU (see redisLimits). */
    limits: resourceLimitsWithDerivedMemory({ cpus: "0.5" }),
});

export type RedisSettings = z.input<typeof redisSettingsSchema>;

/** The container's ceilings: the memory limit a stack set, or maxmemory plus headroom. */
export function redisLimits(settings: z.output<typeof redisSettingsSchema>): { memoryMb: number; cpus: string } {
    return {
        memoryMb: settings.limits.memoryMb ?? settings.maxMemoryMb + REDIS_MEMORY_HEADROOM_MB,
        cpus: settings.limits.cpus,
    };
}

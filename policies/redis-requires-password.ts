import { redisRequiresPassword } from "../rules/datastore";
import { TYPES, guardConfig, resourceGuard } from "./lib/guard";
import { containerIdentity, containerRole } from "./lib/containers";

export interface RedisPasswordConfig {
    /** Shortest accepted literal Redis password. */
    readonly minimumPasswordLength: number;
}

const config = guardConfig<RedisPasswordConfig>({
    minimumPasswordLength: {
        type: "integer",
        minimum: 1,
        default: 16,
        description: "Shortest accepted Redis password, in characters.",
    },
});

export const redisPassword = resourceGuard<RedisPasswordConfig>({
    name: "redis-requires-password",
    description:
        "A Redis container must require a password: requirepass in the configuration passed through REDIS_CONFIG, on the command line, in REDIS_ARGS, or REDIS_PASSWORD for images that read it. Without one, anything that reaches Redis's network can read the cache, forge Celery jobs and flush every queue.",
    remediationSteps:
        "Use the Redis component, which generates a URL-safe password and writes `requirepass` into the config it passes in REDIS_CONFIG; put the same password into REDIS_URL for the application.",
    severity: "high",
    topics: ["data", "secrets"],
    checklist: ["OWASP-Docker-D04"],
    resourceTypes: [TYPES.container],
    config,
    check: (resource, settings) => {
        // The role alone is cheap; the engine is worked out only for caches and databases.
        const role = containerRole(resource);
        const identity = role === "cache" || role === "database" ? containerIdentity(resource) : undefined;
        if (!identity || identity.engine !== "redis" || !["cache", "database"].includes(identity.role)) {
            return [];
        }
        return redisRequiresPassword(resource.props, settings.minimumPasswordLength);
    },
});

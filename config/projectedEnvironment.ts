import { formatConnectionUrl } from "../rules/connectionUrl";
import { GENERATED_SECRET_LENGTHS } from "../components/schemas/generatedSecrets";
import { POSTGRES_PORT } from "../components/schemas/postgres";
import { REDIS_PORT } from "../components/schemas/redis";
import type { StackConfig } from "./schema";

/**
 * The variables the platform sets itself, each with the config key that makes it set them. A user value for one
 * of them would be silently replaced (stackConfig.ts refuses it).
 */
export function platformManagedVariables(config: StackConfig): Map<string, string> {
    const backend = config.backend;
    const managed = new Map<string, string>();
    if (backend.dataDirectory) {
        managed.set("DATA_DIR", "backend.dataDirectory");
    }
    for (const variable of Object.keys(backend.generatedSecrets)) {
        managed.set(variable, `backend.generatedSecrets.${variable}`);
    }
    for (const variable of backend.databaseUrlVariables) {
        managed.set(variable, "backend.databaseUrlVariables");
    }
    for (const variable of Object.keys(backend.redisUrlVariables)) {
        managed.set(variable, `backend.redisUrlVariables.${variable}`);
    }
    return managed;
}

/**
 * The environment of one worker group's containers: the application's, then the group's own env, merged last
 * as components/platform.ts merges it.
 */
export function projectedWorkerEnvironment(config: StackConfig, worker: string): Record<string, string> {
    return { ...projectedEnvironment(config), ...config.workers[worker].env };
}

/**
 * The environment the web and migration containers will see, with generated values stood in by values of the
 * same form: the real ones come from the same generators, so checking these checks them. The layers are those
 * of components/application.ts, in its order: marker, env, secretEnv, DATA_DIR, generated secrets, URLs.
 */
export function projectedEnvironment(config: StackConfig): Record<string, string> {
    const backend = config.backend;
    const env: Record<string, string> = {
        ENVIRONMENT: config.environment,
        ...backend.env,
        ...(config.secretEnv ?? {}),
    };
    if (backend.dataDirectory) {
        env.DATA_DIR = backend.dataDirectory;
    }
    for (const [variable, kind] of Object.entries(backend.generatedSecrets)) {
        env[variable] = sampleSecret(GENERATED_SECRET_LENGTHS[kind]);
    }
    const password = sampleSecret(GENERATED_SECRET_LENGTHS.password);
    for (const variable of backend.databaseUrlVariables) {
        env[variable] = formatConnectionUrl({
            scheme: "postgresql",
            username: config.postgres.user,
            password,
            host: "platform-postgres",
            port: POSTGRES_PORT,
            database: config.postgres.database,
        });
    }
    for (const variable of Object.keys(backend.redisUrlVariables)) {
        env[variable] = formatConnectionUrl({
            scheme: "redis",
            username: "",
            password,
            host: "platform-redis",
            port: REDIS_PORT,
            database: "0",
        });
    }
    return env;
}

/** A value shaped like a generated secret (same alphabet and length), never used as a real secret. */
function sampleSecret(length: number): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    return Array.from({ length }, (_, index) => alphabet[(index * 7) % alphabet.length]).join("");
}

import { z } from "zod";
import { absolutePath, envName, requestPath, textInput } from "./fields";
import { generatedSecretKind } from "./generatedSecrets";

/**
 * What the platform gives the application beside its containers: its environment (plain settings, user secrets,
 * generated secrets, connection URLs), its volumes and the paths the smoke check requests. Part of the backend's
 * settings in a stack; web, migration and worker containers all receive the same.
 */
export const applicationSettingsShape = {
    /**
     * More paths the post-deploy smoke check requests through nginx, each of which must answer 200, e.g. "/"
     * (the frontend) or an endpoint that answers 200 only when no migration is pending. Default: none.
     */
    smokeCheckPaths: z.array(requestPath).default([]),
    /** Plain application settings. Default: none. */
    env: z.record(envName, z.string()).default({}),
    /** Application secrets the user supplies (in a stack: `pulumi config set --secret`). Default: none. */
    secretEnv: z.record(envName, textInput(z.string())).default({}),
    /** Secrets generated for the app, by variable name. Default: { SECRET_KEY: "secretKey" }. */
    generatedSecrets: z.record(envName, generatedSecretKind).default({ SECRET_KEY: "secretKey" }),
    /** Variables that receive the PostgreSQL URL. Default: ["DATABASE_URL"]. */
    databaseUrlVariables: z.array(envName).default(["DATABASE_URL"]),
    /** Variables that receive a Redis URL, by logical database purpose. Default: { REDIS_URL: "cache" }. */
    redisUrlVariables: z.record(envName, z.string().regex(/^[a-z][a-z0-9-]*$/)).default({ REDIS_URL: "cache" }),
    /** Absolute path of a persistent data directory (exported as DATA_DIR). Default: none. */
    dataDirectory: absolutePath.optional(),
    /** Where the app writes collected static files; nginx serves them at /static/. Default: none. */
    staticDirectory: absolutePath.optional(),
    /** Where the app stores uploads; nginx serves them at /media/. Default: none. */
    mediaDirectory: absolutePath.optional(),
};

import { z } from "zod";
import { pemPrivateKey, platformSettingsSchema } from "../components/schemas/platform";
import { configSpelling } from "./configSpelling";
import { asSchemaText } from "./schemaText";

/**
 * The shape of a stack's `webplatform:*` config: the platform schema (components/schemas/platform.ts) spelled as
 * config keys (configSpelling.ts), plus the keys only a stack has. Nothing here restates a setting or a default.
 */

const platformShape = platformSettingsSchema.shape;

/**
 * Config keys whose values must be stored encrypted (`pulumi config set --secret`). They are top-level keys, so
 * the whole value is one secret, and the program hands them to the platform as Pulumi secrets: secretEnv becomes
 * backend.secretEnv and tlsPrivateKey nginx.privateKeyPem (stackConfig.ts).
 */
export const SECRET_CONFIG_KEYS = ["secretEnv", "tlsPrivateKey"] as const;

/** The keys only a stack has: the platform's name and the secrets, which the platform takes elsewhere. */
const stackOnlyShape = {
    /** Name of the Platform and prefix of every container, volume and network. Default: wp-<stack>. */
    name: z
        .string()
        .regex(/^[a-z][a-z0-9-]{0,20}$/, "must be a short lower-case name")
        .optional(),
    /** Application secrets, by variable name; stored encrypted. */
    secretEnv: z.record(platformShape.backend.shape.secretEnv.unwrap().keyType, z.string()).optional(),
    /**
     * Let the application's session cookies be SameSite=None, for a frontend on another site that must send them.
     * Default: false (a session cookie with SameSite=None is refused in production).
     */
    allowCrossSiteSessionCookies: z.boolean().optional(),
    /** The key of nginx.certificatePem; stored encrypted. */
    tlsPrivateKey: pemPrivateKey.optional(),
};

/** The config keys, as a stack file or `pulumi config set --path` writes them. */
export const stackConfigKeys = configSpelling(
    platformSettingsSchema.extend({
        backend: platformShape.backend.omit({ secretEnv: true }),
        nginx: platformShape.nginx.unwrap().omit({ privateKeyPem: true }).prefault({}),
        ...stackOnlyShape,
    }),
) as z.ZodObject;

/** Stack config resolved: every platform setting with its default filled in, and the stack-only keys. */
const resolvedStackConfig = platformSettingsSchema.extend(stackOnlyShape);

/**
 * Parses raw `webplatform:*` values: text settings the CLI stored as numbers are read as their text, every key is
 * checked against the components' schemas, and the result carries every default.
 */
export const stackConfigSchema = z
    .preprocess((raw) => asSchemaText(stackConfigKeys, raw), stackConfigKeys)
    .pipe(resolvedStackConfig);

export type StackConfig = z.output<typeof resolvedStackConfig>;

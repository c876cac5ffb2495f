import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { z } from "zod";
import { definition, unwrapped } from "./configSpelling";
import { stackConfigKeys } from "./schema";
import { CONFIG_NAMESPACE } from "./stackConfig";

/** What the program reads of its stack's config: the raw `webplatform:*` values and which of them are secret. */
export interface StackConfigValues {
    readonly values: Record<string, unknown>;
    readonly secretKeys: readonly string[];
}

/**
 * Reads the `webplatform:*` namespace through pulumi.Config, each key by its schema's type: a text setting as the
 * text the CLI stored (so `secretsRotation: "2026.10"` stays that text), anything else as the JSON value it holds.
 * A key this project does not know is read as text, for validation to name it. Which keys are secret is the
 * SDK's knowledge (the engine tells the language host), not this program's.
 */
export function readStackConfig(): StackConfigValues {
    const config = new pulumi.Config(CONFIG_NAMESPACE);
    const prefix = `${CONFIG_NAMESPACE}:`;
    const shape = stackConfigKeys.shape as Record<string, z.ZodType>;
    const values: Record<string, unknown> = {};
    const secretKeys: string[] = [];
    for (const fullKey of Object.keys(pulumi.runtime.allConfig()).sort()) {
        if (!fullKey.startsWith(prefix)) {
            continue;
        }
        const key = fullKey.slice(prefix.length);
        const schema = Object.hasOwn(shape, key) ? shape[key] : undefined;
        values[key] = schema === undefined || isText(schema) ? config.get(key) : jsonValue(config, key);
        if (isConfigSecret(fullKey)) {
            secretKeys.push(fullKey);
        }
    }
    return { values, secretKeys };
}

function isText(schema: z.ZodType): boolean {
    return ["string", "enum"].includes(definition(unwrapped(schema)).type);
}

/** The key's JSON value; text that is not JSON stays text, so validation can say what it expected instead. */
function jsonValue(config: pulumi.Config, key: string): unknown {
    try {
        return config.getObject<unknown>(key);
    } catch {
        return config.get(key);
    }
}

/**
 * Whether the engine holds a key as a secret. The SDK keeps this in runtime/config (from
 * PULUMI_CONFIG_SECRET_KEYS) and marks the function internal, so its declaration is not in the typings.
 */
function isConfigSecret(fullKey: string): boolean {
    const sdk = runtimeConfig as unknown as { isConfigSecret?: (key: string) => boolean };
    if (typeof sdk.isConfigSecret !== "function") {
        throw new Error(
            "@pulumi/pulumi no longer exports runtime/config isConfigSecret; the program cannot tell which config keys are secret.",
        );
    }
    return sdk.isConfigSecret(fullKey);
}

import { z } from "zod";
import { definition } from "./configSpelling";

/**
 * Raw config with every number or boolean that stands where the schema expects text turned into that text.
 * `pulumi config set --path backend.env.PORT 8000` stores the number 8000 (the CLI types path values that look
 * like numbers or booleans), though the setting is text; its text is what the user meant.
 */
export function asSchemaText(schema: z.ZodType, value: unknown): unknown {
    const def = definition(schema);
    switch (def.type) {
        case "string":
            return asText(value);
        case "optional":
        case "default":
        case "prefault":
        case "nullable":
        case "readonly":
            return value === undefined ? value : asSchemaText(def.innerType!, value);
        case "pipe":
            return asSchemaText(def.in!, value);
        case "union":
            return def.options!.some((option) => definition(option).type === "string") ? asText(value) : value;
        case "array":
            return Array.isArray(value) ? value.map((item) => asSchemaText(def.element!, item)) : value;
        case "record":
            return isPlainObject(value) ? mapValues(value, () => def.valueType!) : value;
        case "object": {
            const shape = (schema as z.ZodObject).shape as Record<string, z.ZodType>;
            return isPlainObject(value) ? mapValues(value, (key) => shape[key]) : value;
        }
        default:
            return value;
    }
}

function asText(value: unknown): unknown {
    return typeof value === "number" || typeof value === "boolean" ? String(value) : value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function mapValues(
    value: Record<string, unknown>,
    schemaOf: (key: string) => z.ZodType | undefined,
): Record<string, unknown> {
    return Object.fromEntries(
        Object.entries(value).map(([key, item]) => {
            const schema = schemaOf(key);
            return [key, schema === undefined ? item : asSchemaText(schema, item)];
        }),
    );
}

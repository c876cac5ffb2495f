import { z } from "zod";
import { imageBuild, imageReferenceText, imageSource } from "../components/schemas/image";

/**
 * A component schema as stack config spells it. The settings are the same and validated by the same schemas; only
 * two conventions of the config keys differ from the components' arguments (README, "Declaring a stack"):
 *
 * - limits are flat: `memoryMb` and `cpus` sit beside the other keys instead of in `limits: {memoryMb, cpus}`;
 * - an image is given by its reference, `image: "name@sha256:…"`, or, where a component needs one, by `build`
 *   (a Dockerfile context) instead; exactly one of the two.
 *
 * The spelled schema turns what it parses back into the component's shape, and leaves every default to the
 * component's schema (a default applies when the platform schema parses the result).
 */
export function configSpelling(schema: z.ZodType): z.ZodType {
    const def = definition(schema);
    switch (def.type) {
        case "optional":
        case "default":
        case "prefault": {
            const inner = configSpelling(def.innerType!);
            return inner === def.innerType ? schema : inner.optional();
        }
        case "record": {
            const value = configSpelling(def.valueType!);
            return value === def.valueType ? schema : z.record(def.keyType as z.ZodString, value);
        }
        case "object":
            return objectSpelling(schema as z.ZodObject);
        default:
            return schema;
    }
}

/** The parts of a zod definition this module reads. */
export interface Definition {
    readonly type: string;
    readonly innerType?: z.ZodType;
    readonly keyType?: z.ZodType;
    readonly valueType?: z.ZodType;
    readonly element?: z.ZodType;
    readonly in?: z.ZodType;
    readonly options?: readonly z.ZodType[];
}

export function definition(schema: z.ZodType): Definition {
    return schema.def as unknown as Definition;
}

/** The schema inside optional/default/prefault wrappers. */
export function unwrapped(schema: z.ZodType): z.ZodType {
    const def = definition(schema);
    return ["optional", "default", "prefault"].includes(def.type) ? unwrapped(def.innerType!) : schema;
}

type Value = Record<string, unknown>;

function objectSpelling(object: z.ZodObject): z.ZodType {
    const shape: Record<string, z.ZodType> = {};
    const moves: ((value: Value) => void)[] = [];
    let needsImage = false;
    for (const [key, field] of Object.entries(object.shape as Record<string, z.ZodType>)) {
        const inner = unwrapped(field);
        if (key === "limits" && definition(inner).type === "object") {
            const limitKeys = Object.keys((inner as z.ZodObject).shape);
            for (const limitKey of limitKeys) {
                if (limitKey in object.shape) {
                    throw new Error(`limits.${limitKey} cannot be spelled flat beside a setting of the same name`);
                }
                shape[limitKey] = (inner as z.ZodObject).shape[limitKey] as z.ZodType;
            }
            moves.push((value) => {
                value.limits = Object.fromEntries(limitKeys.map((limitKey) => [limitKey, value[limitKey]]));
                for (const limitKey of limitKeys) {
                    delete value[limitKey];
                }
            });
        } else if (inner === imageSource && field === inner) {
            needsImage = true;
            shape[key] = imageReferenceText.optional();
            shape.build = imageBuild.optional();
            moves.push((value) => {
                value[key] = value.build === undefined ? { reference: value[key] } : { build: value.build };
                delete value.build;
            });
        } else if (inner === imageSource) {
            shape[key] = imageReferenceText.optional();
            moves.push((value) => {
                if (value[key] !== undefined) {
                    value[key] = { reference: value[key] };
                }
            });
        } else {
            shape[key] = configSpelling(field);
        }
    }
    const unchanged = moves.length === 0 && Object.entries(shape).every(([key, field]) => object.shape[key] === field);
    if (unchanged) {
        return object;
    }
    const keys = z.strictObject(shape);
    const checked = needsImage
        ? keys.refine((value) => (value.image === undefined) !== (value.build === undefined), {
              message: "needs exactly one of image (a pinned reference) or build (a Dockerfile context)",
              path: ["image"],
          })
        : keys;
    return moves.length === 0
        ? checked
        : checked.transform((value) => {
              const copy: Value = { ...value };
              for (const move of moves) {
                  move(copy);
              }
              return copy;
          });
}

/**
 * How the policy runner shows a value that is not known yet. During `pulumi preview` an input computed from another
 * resource's output (a generated password, an image ID) arrives as one of these sentinel strings, whatever its
 * type; during `pulumi up` the same input arrives with its real value. @pulumi/policy 1.21 keeps them internal
 * (proxy.js) and throws UnknownValueError when a policy touches one through `args.props`, which turns the whole
 * policy into an advisory "can't run during preview" notice. The pack instead reads the raw values and skips
 * exactly the checks whose inputs are unknown; policies/test/meta.test.ts pins these to the runtime's.
 */
export const UNKNOWN_VALUES = {
    boolean: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    asset: "030794c1-ac77-496b-92df-f27374a8bd58",
    archive: "e48ece36-62e2-4504-bad9-02848725956a",
    object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;

const SENTINELS = new Set<unknown>(Object.values(UNKNOWN_VALUES));
/** The sentinels' lengths (all are UUIDs): a cheap first test, since nearly every value the pack reads is known. */
const SENTINEL_LENGTHS: ReadonlySet<number> = new Set(Object.values(UNKNOWN_VALUES).map((value) => value.length));

/** True when the value is not known yet (preview). */
export function isUnknown(value: unknown): boolean {
    return typeof value === "string" && SENTINEL_LENGTHS.has(value.length) && SENTINELS.has(value);
}

/** True when the value or anything inside it is not known yet. */
export function containsUnknown(value: unknown): boolean {
    if (isUnknown(value)) {
        return true;
    }
    if (Array.isArray(value)) {
        return value.some(containsUnknown);
    }
    if (value !== null && typeof value === "object") {
        return Object.values(value).some(containsUnknown);
    }
    return false;
}

/** A known string, or undefined for absent, unknown or non-string values. */
export function knownString(value: unknown): string | undefined {
    return typeof value === "string" && !isUnknown(value) ? value : undefined;
}

/** A known array, or undefined for absent or unknown values. */
export function knownArray(value: unknown): readonly unknown[] | undefined {
    return Array.isArray(value) ? value : undefined;
}

/** A known plain object, or undefined. */
export function knownObject(value: unknown): Readonly<Record<string, unknown>> | undefined {
    return value !== null && typeof value === "object" && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
}

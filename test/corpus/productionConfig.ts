import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { CorpusEntry, patchedValues, setPath } from "./entry";

const REPO_ROOT = join(__dirname, "../..");
/** The known-good production config every corpus entry patches. */
export const PRODUCTION_STACK_FILE = "Pulumi.prod.yaml";

/** The `webplatform:*` values of the shipped production stack file, without the namespace. */
export function productionValues(): Record<string, unknown> {
    const parsed = parse(readFileSync(join(REPO_ROOT, PRODUCTION_STACK_FILE), "utf8")) as {
        config: Record<string, unknown>;
    };
    return Object.fromEntries(
        Object.entries(parsed.config)
            .filter(([key]) => key.startsWith("webplatform:"))
            .map(([key, value]) => [key.slice("webplatform:".length), value]),
    );
}

/** The top-level config keys an entry stores as secrets, beside the TLS key a production stack always has. */
export function secretTopLevelKeys(entry: CorpusEntry): string[] {
    const touched = (top: string) =>
        [...Object.keys(entry.set ?? {}), ...(entry.remove ?? [])].some((path) => path.split(/[.[]/)[0] === top);
    const keys = new Set(Object.keys(entry.secret ?? {}).map((path) => path.split(/[.[]/)[0]));
    if (!touched("tlsPrivateKey")) {
        keys.add("tlsPrivateKey");
    }
    return [...keys].map((key) => `webplatform:${key}`);
}

/** The entry's config as the program reads it: `base` (with certificate and key) patched, secrets included. */
export function entryValues(base: Readonly<Record<string, unknown>>, entry: CorpusEntry): Record<string, unknown> {
    const values = patchedValues(base, entry);
    for (const [path, value] of Object.entries(entry.secret ?? {})) {
        setPath(values, path, value);
    }
    return values;
}

/** Every value of an entry that must never be printed: its secrets and the credentials it sets in plain text. */
export function valuesNeverPrinted(entry: CorpusEntry): string[] {
    return [...Object.values(entry.secret ?? {}), ...(entry.sensitive ?? [])];
}

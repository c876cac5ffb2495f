import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

export { GENERATED_SECRET_LENGTHS } from "./schemas/generatedSecrets";

/** Every generated secret matches this: nothing in it needs escaping in a URL, a shell word or an env file. */
export const URL_SAFE_SECRET = /^[A-Za-z0-9]+$/;

export interface UrlSafeSecretArgs {
    /** Number of characters. */
    readonly length: number;
    /** Changing this value generates a new secret (rotation). Default: no rotation. */
    readonly rotation?: pulumi.Input<string>;
}

/**
 * A random secret drawn only from letters and digits, so it can be pasted into a connection URL unescaped.
 * The real outage behind this: a generated password with `/` and `@` made DATABASE_URL unparseable
 * ("Port could not be cast to integer"). `result` is a Pulumi secret from creation on.
 */
export function urlSafeSecret(
    name: string,
    args: UrlSafeSecretArgs,
    opts: pulumi.CustomResourceOptions,
): random.RandomPassword {
    return new random.RandomPassword(
        name,
        {
            length: args.length,
            special: false,
            upper: true,
            lower: true,
            numeric: true,
            // At least a few of each class keeps every secret above naive "distinct characters" checks.
            minUpper: 4,
            minLower: 4,
            minNumeric: 4,
            keepers: args.rotation === undefined ? undefined : { rotation: args.rotation },
        },
        opts,
    );
}

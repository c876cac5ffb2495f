import type { Input } from "@pulumi/pulumi";
import { z } from "zod";

/**
 * The kinds of value that component settings are made of, each with the message a stack's author reads when a
 * value does not fit. Pure zod: a schema module loads no Pulumi package, so the config layer can validate a stack
 * without loading a provider (`import type` above is erased at compile time).
 */

export const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "is not a valid environment variable name");

/** A program and its arguments, one word per element. */
export const command = z.array(z.string().min(1)).min(1, "needs at least one word");

export const port = z.number().int().min(1).max(65535);

export const memoryMb = z.number().int().min(16);

export const cpus = z.string().regex(/^\d+(\.\d+)?$/, 'is not a number of CPUs such as "0.5"');

export const absolutePath = z.string().regex(/^\//, "must be an absolute path");

/** A path of an HTTP request, such as a health endpoint. */
export const requestPath = z.string().regex(/^\//, "must start with /");

/** A lower-case PostgreSQL identifier (database or role name). */
export const sqlIdentifier = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lower-case SQL identifier");

/** A count such as replicas or dumps kept, with the wording the components use when they refuse one. */
export function wholeNumber(minimum: number, maximum?: number) {
    const atLeast = (issue: { input?: unknown }) =>
        `must be a whole number of at least ${minimum}, got ${String(issue.input)}`;
    const schema = z.number().int({ error: atLeast }).min(minimum, { error: atLeast });
    return maximum === undefined
        ? schema
        : schema.max(maximum, {
              error: (issue) => `must be a whole number of at most ${maximum}, got ${String(issue.input)}`,
          });
}

/**
 * A value the Pulumi SDK resolves later: an Output or a promise. Recognised by the SDK's own marker
 * (`__pulumiOutput`) or as a thenable, so this module need not load the SDK to tell.
 */
export const deferred = z.custom<Exclude<Input<string>, string>>(
    (value) =>
        typeof value === "object" &&
        value !== null &&
        ((value as { __pulumiOutput?: unknown }).__pulumiOutput === true ||
            typeof (value as { then?: unknown }).then === "function"),
);

/** Text given directly (and checked by `text`) or as an Output or promise from another resource. */
export function textInput(text: z.ZodType<string>) {
    return z.union([text, deferred]);
}

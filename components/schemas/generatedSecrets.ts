import { z } from "zod";

/**
 * Minimum lengths every generated secret meets. They match the production guards (Django wants a SECRET_KEY of
 * at least 50 characters, session secrets at least 32) with headroom, since a URL-safe alphabet carries ~5.95
 * bits per character.
 */
export const GENERATED_SECRET_LENGTHS = {
    password: 40,
    secretKey: 64,
    sessionSecret: 48,
} as const;

/** Kinds of secret the platform generates for the application, each with its own minimum length. */
export type GeneratedSecretKind = keyof typeof GENERATED_SECRET_LENGTHS;

export const generatedSecretKind = z.enum(
    Object.keys(GENERATED_SECRET_LENGTHS) as [GeneratedSecretKind, ...GeneratedSecretKind[]],
);

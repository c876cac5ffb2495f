/** Signing keys, session secrets and admin passwords: long, random, never a template or tutorial value. */
import { Finding } from "../finding";
import { Environment, list } from "./words";

/** Minimum lengths of application secrets (Django's own check wants 50 for SECRET_KEY). */
export const MINIMUM_SECRET_KEY_LENGTH = 50;
export const MINIMUM_SECRET_KEY_DISTINCT_CHARACTERS = 5;
export const MINIMUM_SESSION_SECRET_LENGTH = 32;
export const MINIMUM_ADMIN_PASSWORD_LENGTH = 12;

/** Values seen shipped as secrets in templates and tutorials. */
const KNOWN_DEFAULT_SECRETS = new Set(
    [
        "changeme",
        "change-me",
        "change_me",
        "secret",
        "secret-key",
        "secretkey",
        "your-secret-key",
        "your-secret-key-here",
        "supersecret",
        "super-secret-key",
        "mysecretkey",
        "default",
        "development",
        "dev",
        "test",
        "password",
        "notsecret",
        "insecure",
    ].map((value) => value.toLowerCase()),
);
const KNOWN_DEFAULT_PASSWORDS = new Set([
    "admin",
    "administrator",
    "password",
    "passw0rd",
    "admin123",
    "admin1234",
    "123456",
    "12345678",
    "qwerty",
    "letmein",
    "changeme",
    "root",
    "toor",
    "secret",
    "default",
    "test",
    "guest",
]);

/** Variables holding a Django-style signing key. */
export const SECRET_KEY_VARIABLES = ["SECRET_KEY", "DJANGO_SECRET_KEY"] as const;
/** Variables holding old signing keys still accepted (comma-separated). */
export const SECRET_KEY_FALLBACK_VARIABLES = ["SECRET_KEY_FALLBACKS", "DJANGO_SECRET_KEY_FALLBACKS"] as const;

/** Why a signing key is unfit, or undefined when it is fit. Never includes the key itself. */
export function weakSecretKeyReason(value: string): string | undefined {
    if (value.startsWith("django-insecure-")) {
        return "is a django-insecure- development key";
    }
    if (KNOWN_DEFAULT_SECRETS.has(value.trim().toLowerCase())) {
        return "is a well-known default value";
    }
    if (value.length < MINIMUM_SECRET_KEY_LENGTH) {
        return `has ${value.length} characters, fewer than ${MINIMUM_SECRET_KEY_LENGTH}`;
    }
    if (!hasDistinctCharacters(value, MINIMUM_SECRET_KEY_DISTINCT_CHARACTERS)) {
        return `has fewer than ${MINIMUM_SECRET_KEY_DISTINCT_CHARACTERS} distinct characters`;
    }
    return undefined;
}

/** True when `value` has at least `count` distinct characters (code points); stops reading once it has seen them. */
function hasDistinctCharacters(value: string, count: number): boolean {
    const seen = new Set<string>();
    for (const character of value) {
        seen.add(character);
        if (seen.size >= count) {
            return true;
        }
    }
    return seen.size >= count;
}

export function strongSecretKeys(env: Environment): Finding[] {
    const findings: Finding[] = [];
    for (const key of SECRET_KEY_VARIABLES) {
        const value = env[key];
        const reason = value === undefined ? undefined : weakSecretKeyReason(value);
        if (reason) {
            findings.push({
                key,
                problem: `the signing key ${reason}.`,
                fix: `let the platform generate ${key} (generatedSecrets) or set a random value of at least ${MINIMUM_SECRET_KEY_LENGTH} characters with \`pulumi config set --secret\`.`,
            });
        }
    }
    for (const key of SECRET_KEY_FALLBACK_VARIABLES) {
        const value = env[key];
        if (value === undefined) {
            continue;
        }
        list(value).forEach((fallback, index) => {
            const reason = weakSecretKeyReason(fallback);
            if (reason) {
                findings.push({
                    key: `${key}[${index}]`,
                    problem: `the fallback signing key ${reason}.`,
                    fix: `remove that fallback or replace it with a random value of at least ${MINIMUM_SECRET_KEY_LENGTH} characters.`,
                });
            }
        });
    }
    return findings;
}

export function strongSessionSecret(env: Environment): Finding[] {
    const value = env.SESSION_SECRET;
    if (value === undefined) {
        return [];
    }
    if (value.length < MINIMUM_SESSION_SECRET_LENGTH || KNOWN_DEFAULT_SECRETS.has(value.toLowerCase())) {
        return [
            {
                key: "SESSION_SECRET",
                problem: `the session secret is shorter than ${MINIMUM_SESSION_SECRET_LENGTH} characters or a known default.`,
                fix: `let the platform generate SESSION_SECRET (generatedSecrets: sessionSecret) or set a random value of at least ${MINIMUM_SESSION_SECRET_LENGTH} characters.`,
            },
        ];
    }
    return [];
}

export function strongAdminPassword(env: Environment): Finding[] {
    const value = env.ADMIN_PASSWORD;
    if (value === undefined) {
        return [];
    }
    if (KNOWN_DEFAULT_PASSWORDS.has(value.toLowerCase()) || value.length < MINIMUM_ADMIN_PASSWORD_LENGTH) {
        return [
            {
                key: "ADMIN_PASSWORD",
                problem: `the admin password is a common default or shorter than ${MINIMUM_ADMIN_PASSWORD_LENGTH} characters.`,
                fix: "generate it (generatedSecrets: password) or set a strong value with `pulumi config set --secret`.",
            },
        ];
    }
    return [];
}

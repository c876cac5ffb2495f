import { Finding } from "../finding";
import type { Environment } from "./words";

/**
 * Credentials in plain config: a variable whose name says it holds a credential, or whose value is a URL with a
 * password in it, must be stored encrypted (secretEnv) rather than in plain text in the stack file. Neither the
 * classification nor the finding ever includes the value.
 */

/** Last words of a variable name that make it a credential: BOT_TOKEN, DB_PASSWORD, SECRET_KEY, STRIPE_API_KEY. */
const CREDENTIAL_WORDS: ReadonlySet<string> = new Set(["TOKEN", "PASSWORD", "PASSWD", "SECRET", "KEY", "DSN"]);

/**
 * Words before a final KEY that make it a name rather than a credential: PUBLIC_KEY, STRIPE_PUBLISHABLE_KEY,
 * CACHE_KEY (a prefix), SORT_KEY, PRIMARY_KEY. Names ending in another word (AWS_ACCESS_KEY_ID, CACHE_KEY_PREFIX,
 * TOKEN_TTL, PASSWORD_MIN_LENGTH) are not credentials in the first place.
 */
const NON_SECRET_KEY_QUALIFIERS: ReadonlySet<string> = new Set([
    "PUBLIC",
    "PUBLISHABLE",
    "CACHE",
    "SORT",
    "PARTITION",
    "PRIMARY",
    "FOREIGN",
    "ROUTING",
    "LOOKUP",
]);

/** Why the name says credential (its last word), or undefined. DSN is a credential only with a password in it. */
export function credentialNameWord(name: string): string | undefined {
    const words = name
        .toUpperCase()
        .split("_")
        .filter((word) => word.length > 0);
    const last = words.at(-1);
    if (last === undefined || !CREDENTIAL_WORDS.has(last) || last === "DSN") {
        return undefined;
    }
    if (last === "KEY" && words.length > 1 && NON_SECRET_KEY_QUALIFIERS.has(words[words.length - 2])) {
        return undefined;
    }
    return last;
}

/** True when `value` is a URL (scheme://user:password@host...) whose password part is not empty. */
export function hasUrlPassword(value: string): boolean {
    const match = /^\s*[a-z][a-z0-9+.-]*:\/\/([^@\s]*)@/i.exec(value);
    if (!match) {
        return false;
    }
    const userInfo = match[1];
    const colon = userInfo.indexOf(":");
    return colon >= 0 && colon < userInfo.length - 1;
}

/** The reason a plain value is a credential, in words that never include the value, or undefined. */
export function credentialReason(name: string, value: string): string | undefined {
    if (value.trim().length === 0) {
        return undefined;
    }
    const word = credentialNameWord(name);
    if (word !== undefined) {
        return `its name ends in _${word}, so it holds a credential`;
    }
    if (hasUrlPassword(value)) {
        return "its value is a URL with a password in it";
    }
    return undefined;
}

/**
 * Findings for every credential in a plain environment; `configKey(name)` is the config key that holds it (e.g.
 * webplatform:backend.env.BOT_TOKEN) and `secretPath(name)` the `--path` where it belongs as a secret.
 */
export function plainCredentials(
    env: Environment,
    configKey: (name: string) => string,
    secretPath: (name: string) => string,
): Finding[] {
    const findings: Finding[] = [];
    for (const [name, value] of Object.entries(env)) {
        const reason = credentialReason(name, value);
        if (reason !== undefined) {
            findings.push({
                key: configKey(name),
                problem: `is stored in plain text in the stack file, but ${reason}.`,
                fix: `remove it and set it encrypted with \`pulumi config set --secret --path ${secretPath(name)}\` (value on stdin or as the last argument).`,
            });
        }
    }
    return findings;
}

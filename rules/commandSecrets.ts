import { Finding } from "./finding";
import { programOf, scriptsIn, simpleCommands } from "./shellWords";

/**
 * Secrets written into a command line end up in `docker inspect`, the Pulumi state, preview diffs and `ps`. The
 * seed's Redis ran `redis-server --requirepass ${REDIS_PASSWORD}`, so its password sat in the container's Cmd.
 * These rules name the option or variable that carries a secret and never repeat its value.
 */

/** Options whose argument is a Redis password, flagged whatever the value looks like. */
const REDIS_PASSWORD_OPTIONS = new Set(["--requirepass", "--masterauth"]);

/** Option names (without leading dashes) that take a secret value. */
const SECRET_OPTION =
    /^(pass|passwd|password|[a-z0-9]+[-_](password|passwd|secret|token)|secret|token|api[-_]?key|access[-_]?key|secret[-_]?key|client[-_]secret|auth[-_]token)$/i;
/** Option names that point at a secret instead of holding it. */
const REFERENCE_OPTION = /([-_](file|path|env|var|command|cmd)|askpass|^no[-_])/i;

/** `NAME=value` words whose name says the value is a secret. */
const SECRET_ASSIGNMENT =
    /^([A-Za-z0-9_-]*(password|passwd|secret|secret_key|token|api_key|apikey|private_key|requirepass)|([A-Za-z0-9_]*[_-])?(pass|pwd))$/i;

/** A URL with a password in its user info, e.g. postgresql://user:pw@host/db. */
const URL_WITH_PASSWORD = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/:@]*:([^\s/@]+)@/;

const VARIABLE_REFERENCE = /^\$(\{[A-Za-z_][A-Za-z0-9_]*[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)$/;

/** A value that refers to a variable (expanded later by a shell) rather than holding the secret itself. */
function isReference(value: string): boolean {
    return VARIABLE_REFERENCE.test(value);
}

const OPTION = /^--?([A-Za-z][A-Za-z0-9_-]*)(=.*)?$/s;

/** The name of an option word (`--name`, `-n`, `--name=value`); only words starting with "-" can be one. */
function optionName(word: string): string | undefined {
    const match = word.startsWith("-") ? OPTION.exec(word) : null;
    return match ? match[1] : undefined;
}

const REDIS_CLIENTS = /^(redis-cli|valkey-cli)$/;
const MYSQL_CLIENTS = /^(mysql|mysqladmin|mysqldump|mariadb|mariadb-admin|mariadb-dump)$/;
const INLINE_MYSQL_PASSWORD = /^-p.+/;
const REQUIREPASS = /^requirepass$/i;

/** Why one simple command carries a secret, as a list of reasons (no values). */
function commandReasons(command: readonly string[]): string[] {
    const reasons: string[] = [];
    const program = programOf(command)?.program ?? "";
    command.forEach((word, index) => {
        const next = command[index + 1];
        const equals = word.indexOf("=");
        const inlineValue = equals === -1 ? undefined : word.slice(equals + 1);
        const option = optionName(word);
        if (option !== undefined && word.startsWith("-")) {
            const flag = equals === -1 ? word : word.slice(0, equals);
            const value = inlineValue ?? (next !== undefined && !next.startsWith("-") ? next : undefined);
            if (REDIS_PASSWORD_OPTIONS.has(flag.toLowerCase())) {
                if (value !== undefined && value.length > 0) {
                    reasons.push(`sets the Redis password with ${flag} on the command line`);
                }
                return;
            }
            if (word.startsWith("--") && SECRET_OPTION.test(option) && !REFERENCE_OPTION.test(option)) {
                if (value !== undefined && value.length > 0 && !isReference(value)) {
                    reasons.push(`passes a secret with ${flag}`);
                }
                return;
            }
            if (word === "-a" && REDIS_CLIENTS.test(program) && next !== undefined && !isReference(next)) {
                reasons.push(`passes the Redis password to ${program} with -a`);
                return;
            }
            if (MYSQL_CLIENTS.test(program) && INLINE_MYSQL_PASSWORD.test(word) && !isReference(word.slice(2))) {
                reasons.push(`passes the password to ${program} with -p`);
                return;
            }
        }
        if (inlineValue !== undefined && inlineValue.length > 0 && !word.startsWith("-")) {
            const name = word.slice(0, equals);
            if (SECRET_ASSIGNMENT.test(name) && !isReference(inlineValue)) {
                reasons.push(`sets ${name} to a literal value`);
                return;
            }
        }
        // Only a word with "://" can hold a URL; the check spares the regular expression for every other word.
        if (word.includes("://") && URL_WITH_PASSWORD.test(word) && !isReference(URL_WITH_PASSWORD.exec(word)![1])) {
            reasons.push("contains a URL with a password in it");
            return;
        }
        if (REQUIREPASS.test(word) && next !== undefined && next.length > 0 && !isReference(next)) {
            reasons.push("writes a literal requirepass value");
        }
    });
    return reasons;
}

/** Reasons an argv (and any shell script inside it) carries a secret; empty when it carries none. */
export function commandLineSecretReasons(argv: readonly string[]): string[] {
    const reasons = new Set<string>();
    for (const sequence of scriptsIn(argv)) {
        for (const command of simpleCommands(sequence)) {
            commandReasons(command).forEach((reason) => reasons.add(reason));
        }
    }
    return [...reasons];
}

/** Findings for a command property (`command`, `entrypoint`, `healthcheck.tests`, a Command's `create`). */
export function commandLineSecretFindings(key: string, argv: readonly string[], fix: string): Finding[] {
    return commandLineSecretReasons(argv).map((reason) => ({
        key,
        problem: `${reason}, so the secret is stored in the Pulumi state and shown by \`docker inspect\`, previews and \`ps\`.`,
        fix,
    }));
}

/**
 * How the popular settings parsers read an environment variable's text: truthy and falsy words, lists, and the host
 * names that mean "this machine". Shared by every application-environment rule.
 */

/** An application's environment variables by name. */
export type Environment = Readonly<Record<string, string>>;

const TRUE_WORDS = new Set(["1", "true", "yes", "on"]);
const FALSE_WORDS = new Set(["0", "false", "no", "off"]);
/** Host names and addresses that point a container at itself. */
export const LOCAL_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "0.0.0.0", "::1", "[::1]"]);

export function isTrue(value: string | undefined): boolean {
    return value !== undefined && TRUE_WORDS.has(value.trim().toLowerCase());
}
export function isFalse(value: string | undefined): boolean {
    return value !== undefined && FALSE_WORDS.has(value.trim().toLowerCase());
}
/** The items of a comma- or space-separated list. */
export function list(value: string): string[] {
    return value
        .split(/[,\s]+/)
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
}

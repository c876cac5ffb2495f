/**
 * How the popular settings parsers read an environment variable's text: truthy and falsy words and lists. Shared by
 * every application-environment rule. Host names that mean "this machine" live in ../loopback.
 *
 * The word lists are the union of what these parsers accept (case-insensitive; surrounding whitespace ignored here):
 * - django-environ `Env.BOOLEAN_TRUE_STRINGS` = true, on, ok, y, yes, 1; any other integer than 0 is true too
 *   (`int(value) != 0` is tried first) and every other word is false.
 * - distutils / setuptools `strtobool`: true y, yes, t, true, on, 1; false n, no, f, false, off, 0.
 * - pydantic v2 `bool`: true 1, on, t, true, y, yes; false 0, off, f, false, n, no.
 * - click (uvicorn's UVICORN_* variables) `BOOL`: the same words as pydantic.
 * - Flask `get_debug_flag` (FLASK_DEBUG): any non-empty value except 0, false, no (lower-cased, not stripped).
 */

/** An application's environment variables by name. */
export type Environment = Readonly<Record<string, string>>;

/** Words some popular parser reads as true. */
export const TRUE_WORDS: ReadonlySet<string> = new Set(["1", "true", "t", "yes", "y", "on", "ok"]);
/** Words some popular parser reads as false. */
export const FALSE_WORDS: ReadonlySet<string> = new Set(["0", "false", "f", "no", "n", "off"]);
/**
 * Words no popular parser reads as false: django-environ's true strings. (strtobool and pydantic reject ok rather
 * than read it as false; django-environ reads t as false.)
 */
export const NEVER_FALSE_WORDS: ReadonlySet<string> = new Set(["true", "on", "ok", "y", "yes", "1"]);
/** The only words Flask's FLASK_DEBUG reads as false. */
export const FLASK_FALSE_WORDS: ReadonlySet<string> = new Set(["0", "false", "no"]);

/** A Python integer literal as `int()` reads it: sign, digits, single underscores between digits. */
function pythonInteger(word: string): number | undefined {
    return /^[+-]?\d+(_\d+)*$/.test(word) ? Number(word.replace(/_/g, "")) : undefined;
}

/** True when some popular parser reads `value` as true (a word of TRUE_WORDS, or an integer other than 0). */
export function isTrue(value: string | undefined): boolean {
    if (value === undefined) {
        return false;
    }
    const word = value.trim().toLowerCase();
    const integer = pythonInteger(word);
    return TRUE_WORDS.has(word) || (integer !== undefined && integer !== 0);
}

/**
 * True when some popular parser reads a set `value` as false: a word of FALSE_WORDS, an integer 0, or any other text
 * outside NEVER_FALSE_WORDS (django-environ reads every word outside its true list, such as t or enabled, as false).
 */
export function isFalse(value: string | undefined): boolean {
    if (value === undefined) {
        return false;
    }
    const word = value.trim().toLowerCase();
    const integer = pythonInteger(word);
    return !(NEVER_FALSE_WORDS.has(word) || (integer !== undefined && integer !== 0));
}

/** True when Flask's `get_debug_flag` reads `value` as true: anything non-empty but 0, false, no (exactly). */
export function flaskReadsTrue(value: string | undefined): boolean {
    return value !== undefined && value.length > 0 && !FLASK_FALSE_WORDS.has(value.toLowerCase());
}

/**
 * The items of a list setting: a JSON array of strings (how pydantic-settings reads a list field), else a comma- or
 * space-separated list (django-environ's `Env.list`, the usual `split(",")`).
 */
export function list(value: string): string[] {
    const json = jsonStrings(value);
    if (json !== undefined) {
        return json.map((item) => item.trim()).filter((item) => item.length > 0);
    }
    return value
        .split(/[,\s]+/)
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
}

/** The strings of `value` when it is a JSON array of strings, else undefined (`[::1]` is not JSON: a host). */
function jsonStrings(value: string): string[] | undefined {
    if (!value.trim().startsWith("[")) {
        return undefined;
    }
    try {
        const parsed: unknown = JSON.parse(value);
        return Array.isArray(parsed) && parsed.every((item) => typeof item === "string") ? parsed : undefined;
    } catch {
        return undefined;
    }
}

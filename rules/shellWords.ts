import { parse, type ParseEntry } from "shell-quote";

/**
 * POSIX shell words, enough to read the command lines the pack inspects (`sh -c` scripts, `docker run ...` steps,
 * healthchecks), split by shell-quote. Quotes are removed, `$NAME` stays literal (nothing is expanded), and the
 * operators (`; | & && || ( )`, redirections and the rest of bash's) become words of their own so commands can be
 * told apart. Around shell-quote's own reading: variables are looked up in an environment that hands every name back
 * as itself, globs are their pattern, a comment ends at the end of its line, a "#" inside a word is ordinary, a
 * descriptor number belongs to its redirection (`2>&1`), and a backslash-newline joins lines.
 */
export function shellWords(text: string): string[] {
    let words = splitBefore.get(text);
    if (words === undefined) {
        words = split(text);
        if (splitBefore.size >= SPLIT_CACHE_LIMIT) {
            splitBefore.clear();
        }
        splitBefore.set(text, words);
    }
    return words.slice();
}

/**
 * Scripts already split, by text. shell-quote builds its regular expressions anew for every call and reads a script
 * several times slower than the pack can afford per resource; the same scripts come back for every policy that reads
 * a container (each gets its own copy of the properties, with equal strings) and for every replica of a worker.
 */
const splitBefore = new Map<string, readonly string[]>();
const SPLIT_CACHE_LIMIT = 1000;

function split(text: string): string[] {
    const words: string[] = [];
    let source = text.includes("\\\n") ? joinContinuedLines(text) : text;
    for (;;) {
        const entries = parseLiterally(source);
        const last = entries[entries.length - 1];
        const comment = last !== undefined && typeof last === "object" && "comment" in last ? last.comment : undefined;
        const hash = comment === undefined ? -1 : source.length - comment.length - 1;
        if (hash > 0 && !startsWord(source, hash)) {
            // shell-quote starts a comment at any unquoted "#"; inside a word the shell reads it as itself.
            source = `${source.slice(0, hash)}\\${source.slice(hash)}`;
            continue;
        }
        for (let index = 0; index < entries.length; index++) {
            const entry = entries[index];
            if (typeof entry === "string") {
                words.push(entry);
            } else if ("comment" in entry) {
                break;
            } else if (entry.op === "glob") {
                words.push(entry.pattern);
            } else {
                const previous = words[words.length - 1];
                if (
                    REDIRECTIONS.has(entry.op) &&
                    previous !== undefined &&
                    isDescriptorOf(previous, entry.op, source)
                ) {
                    // A file descriptor number (`2>&1`) belongs to the redirection, not to the words.
                    words.pop();
                }
                words.push(entry.op);
            }
        }
        const newline = comment === undefined ? -1 : comment.indexOf("\n");
        if (newline === -1) {
            return words;
        }
        // shell-quote drops everything after a comment; the shell reads on from the next line.
        source = comment!.slice(newline + 1);
    }
}

/**
 * The environment shell-quote expands variables from: every name reads as its own reference, so `$NAME` and
 * `${NAME}` come out as `$NAME`, and `${NAME:-default}` and the like keep their braces.
 */
const LITERAL_VARIABLES: Readonly<Record<string, string>> = new Proxy(
    {},
    {
        get: (_target, name) =>
            typeof name !== "string" ? undefined : PLAIN_PARAMETER.test(name) ? `$${name}` : `\${${name}}`,
    },
);
const PLAIN_PARAMETER = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[*@#?$!-]?)$/;

function parseLiterally(text: string): ParseEntry[] {
    try {
        return parse(text, LITERAL_VARIABLES);
    } catch {
        // shell-quote throws on a malformed `${...}`; read its "$" as an ordinary character instead.
        return parse(text.replace(/\$\{/g, "$\\{"), LITERAL_VARIABLES);
    }
}

/** Whether the "#" at `index` starts a word: at the start, or after unescaped white space or an operator. */
function startsWord(text: string, index: number): boolean {
    if (index === 0) {
        return true;
    }
    if (!/[\s;&|()<>]/.test(text[index - 1])) {
        return false;
    }
    let backslashes = 0;
    while (index - 2 - backslashes >= 0 && text[index - 2 - backslashes] === "\\") {
        backslashes++;
    }
    return backslashes % 2 === 0;
}

/** Whether `word` is a descriptor number written against the redirection `op`, as in `2>&1` (not `echo 2 >f`). */
function isDescriptorOf(word: string, op: string, text: string): boolean {
    return DIGITS.test(word) && text.includes(word + op);
}

/**
 * The text with every backslash-newline outside single quotes removed, as the shell joins continued lines.
 * shell-quote would read the backslash as escaping nothing and split the word there.
 */
function joinContinuedLines(text: string): string {
    return text.replace(QUOTED_OR_ESCAPED, (match) =>
        match.startsWith("'") ? match : match.replace(ESCAPED, (pair) => (pair === "\\\n" ? "" : pair)),
    );
}
/** A single-quoted span (kept as it is), a double-quoted span or one escaped character. */
const QUOTED_OR_ESCAPED = /'[^']*'|"(?:\\[\s\S]|[^"\\])*"|\\[\s\S]/g;
const ESCAPED = /\\[\s\S]/g;
const DIGITS = /^\d+$/;

/** Words that end one simple command and start the next. */
export const COMMAND_SEPARATORS = new Set([";", "|", "&", "&&", "||", "(", ")", "|&", ";;", ";&", ";;&", "<(", ">("]);

/** Redirection operators; they and their target are not arguments of the command. */
const REDIRECTIONS = new Set([">", ">>", "<", ">&", "<&", "&>", "&>>", ">|", "<>", "<<", "<<-", "<<<"]);

/** Splits words into simple commands at `;`, `|`, `&&` and the like, leaving out redirections. */
export function simpleCommands(words: readonly string[]): string[][] {
    const commands: string[][] = [[]];
    for (let index = 0; index < words.length; index++) {
        const word = words[index];
        if (COMMAND_SEPARATORS.has(word)) {
            commands.push([]);
        } else if (REDIRECTIONS.has(word)) {
            index++;
        } else {
            commands[commands.length - 1].push(word);
        }
    }
    return commands.filter((command) => command.length > 0);
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const WRAPPERS = new Set(["exec", "env", "nohup", "command"]);

/** The program a simple command runs, after `VAR=value` assignments and `exec`/`env`/`nohup` wrappers. */
export function programOf(command: readonly string[]): { program: string; index: number } | undefined {
    let index = 0;
    while (index < command.length && (ASSIGNMENT.test(command[index]) || WRAPPERS.has(command[index]))) {
        index++;
    }
    if (index >= command.length) {
        return undefined;
    }
    const word = command[index];
    return { program: word.slice(word.lastIndexOf("/") + 1), index };
}

/** A word with white space or a separator in it is a script to split (what `sh -c` would run). */
const SCRIPT_CHARACTERS = /[\s;|&]/;

/**
 * Every token sequence worth scanning in an argv: the argv itself, and the words of any script passed to a
 * shell with `-c` (recursively, so `sh -c "su -c '...'"` is read too).
 */
export function scriptsIn(argv: readonly string[], depth = 0): string[][] {
    const sequences: string[][] = [[...argv]];
    if (depth > 3) {
        return sequences;
    }
    for (const word of argv) {
        if (SCRIPT_CHARACTERS.test(word)) {
            sequences.push(...scriptsIn(shellWords(word), depth + 1));
        }
    }
    return sequences;
}

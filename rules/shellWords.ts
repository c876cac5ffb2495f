/**
 * A small POSIX shell word splitter, enough to read the command lines the pack inspects (`sh -c` scripts,
 * `docker run ...` steps, healthchecks). Quotes are removed, `$NAME` stays literal (nothing is expanded), and
 * the operators `; | & && || ( )` and redirections become words of their own so commands can be told apart.
 */
export function shellWords(text: string): string[] {
    const words: string[] = [];
    let current = "";
    let inWord = false;
    const flush = () => {
        if (inWord) {
            words.push(current);
        }
        current = "";
        inWord = false;
    };
    for (let index = 0; index < text.length; index++) {
        const char = text[index];
        const code = text.charCodeAt(index);
        if (char === "'") {
            const end = text.indexOf("'", index + 1);
            const stop = end === -1 ? text.length : end;
            current += text.slice(index + 1, stop);
            inWord = true;
            index = stop;
        } else if (char === '"') {
            inWord = true;
            index++;
            while (index < text.length && text[index] !== '"') {
                if (text[index] === "\\" && index + 1 < text.length && DOUBLE_QUOTE_ESCAPES.has(text[index + 1])) {
                    index++;
                }
                current += text[index];
                index++;
            }
        } else if (char === "\\") {
            if (index + 1 < text.length && text[index + 1] !== "\n") {
                current += text[index + 1];
                inWord = true;
            }
            index++;
        } else if (isSpace(code)) {
            flush();
        } else if (char === "#" && !inWord) {
            const end = text.indexOf("\n", index);
            index = end === -1 ? text.length : end;
        } else if (isOperator(code)) {
            if ((char === ">" || char === "<") && DIGITS.test(current)) {
                // A file descriptor number (`2>&1`) belongs to the redirection, not to the words.
                current = "";
                inWord = false;
            }
            flush();
            const pair = text.slice(index, index + 2);
            if (OPERATOR_PAIRS.has(pair)) {
                words.push(pair);
                index++;
            } else {
                words.push(char);
            }
        } else {
            // Ordinary characters up to the next quote, backslash, space or operator join the word in one piece
            // (a "#" inside a word is ordinary).
            let end = index + 1;
            while (end < text.length && !endsOrdinaryRun(text.charCodeAt(end))) {
                end++;
            }
            current += text.slice(index, end);
            inWord = true;
            index = end - 1;
        }
    }
    flush();
    return words;
}

/**
 * True for the UTF-16 code units `/\s/` matches (ECMAScript white space and line terminators). The splitter reads
 * every character of every script; a regular expression test per character was the largest item in profiles of the
 * pack.
 */
function isSpace(code: number): boolean {
    return (
        (code >= 0x09 && code <= 0x0d) ||
        code === 0x20 ||
        code === 0xa0 ||
        code === 0x1680 ||
        (code >= 0x2000 && code <= 0x200a) ||
        code === 0x2028 ||
        code === 0x2029 ||
        code === 0x202f ||
        code === 0x205f ||
        code === 0x3000 ||
        code === 0xfeff
    );
}

/** `; | & ( ) < >`: characters that are words of their own (or start a two-character operator). */
function isOperator(code: number): boolean {
    return (
        code === 0x3b ||
        code === 0x7c ||
        code === 0x26 ||
        code === 0x28 ||
        code === 0x29 ||
        code === 0x3c ||
        code === 0x3e
    );
}

/** Characters the splitter treats specially inside a word: quotes, backslash, white space and operators. */
function endsOrdinaryRun(code: number): boolean {
    return code === 0x27 || code === 0x22 || code === 0x5c || isSpace(code) || isOperator(code);
}

/** Two-character operators, read as one word. */
const OPERATOR_PAIRS = new Set(["&&", "||", ">>", ">&", "<&", "&>"]);
/** Characters a backslash escapes inside double quotes. */
const DOUBLE_QUOTE_ESCAPES = new Set(['"', "\\", "$", "`"]);
const DIGITS = /^\d+$/;

/** Words that end one simple command and start the next. */
export const COMMAND_SEPARATORS = new Set([";", "|", "&", "&&", "||", "(", ")"]);

/** Redirection operators; they and their target are not arguments of the command. */
const REDIRECTIONS = new Set([">", ">>", "<", ">&", "<&", "&>"]);

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

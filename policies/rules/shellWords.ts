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
                if (text[index] === "\\" && index + 1 < text.length && '"\\$`'.includes(text[index + 1])) {
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
        } else if (/\s/.test(char)) {
            flush();
        } else if (char === "#" && !inWord) {
            const end = text.indexOf("\n", index);
            index = end === -1 ? text.length : end;
        } else if (";|&()<>".includes(char)) {
            if ((char === ">" || char === "<") && /^\d+$/.test(current)) {
                // A file descriptor number (`2>&1`) belongs to the redirection, not to the words.
                current = "";
                inWord = false;
            }
            flush();
            const pair = text.slice(index, index + 2);
            if (["&&", "||", ">>", ">&", "<&", "&>"].includes(pair)) {
                words.push(pair);
                index++;
            } else {
                words.push(char);
            }
        } else {
            current += char;
            inWord = true;
        }
    }
    flush();
    return words;
}

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

/** The program a simple command runs, after `VAR=value` assignments and `exec`/`env`/`nohup` wrappers. */
export function programOf(command: readonly string[]): { program: string; index: number } | undefined {
    let index = 0;
    while (
        index < command.length &&
        (/^[A-Za-z_][A-Za-z0-9_]*=/.test(command[index]) ||
            ["exec", "env", "nohup", "command"].includes(command[index]))
    ) {
        index++;
    }
    if (index >= command.length) {
        return undefined;
    }
    const word = command[index];
    return { program: word.slice(word.lastIndexOf("/") + 1), index };
}

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
        if (/\s/.test(word) || /[;|&]/.test(word)) {
            sequences.push(...scriptsIn(shellWords(word), depth + 1).map((sequence) => sequence));
        }
    }
    return sequences;
}

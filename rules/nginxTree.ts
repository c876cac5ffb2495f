/**
 * nginx configuration as a tree of directives, with its one serializer and the parser that reads text back into the
 * same tree. Both follow nginx's own lexer (ngx_conf_read_token in src/core/ngx_conf_file.c): words are separated by
 * space, tab, CR and LF; `;` ends a directive and `{` opens its block, `}` closes one; `#` at the start of a word
 * comments to the end of the line; a word that starts with `"` or `'` runs to the matching quote, and a backslash
 * escapes the next character; `\"`, `\'`, `\\`, `\t`, `\r` and `\n` are unescaped, any other backslash is kept.
 * Hand-written because no npm package fits: nginx-conf keeps a directive's arguments as one raw string and writes
 * them back unquoted, @webantic/nginx-config-parser splits lines with regular expressions into an unordered object,
 * nginx-linter is GPL and compiles a PEG grammar at start-up, and the formatters keep raw text.
 */

/** One directive: `name args;`, or `name args { block }`. Arguments are the words nginx reads, quotes removed. */
export interface NginxDirective {
    readonly name: string;
    readonly args: readonly string[];
    readonly block?: readonly NginxDirective[];
}

/** A simple directive. */
export function directive(name: string, ...args: readonly (string | number)[]): NginxDirective {
    return { name, args: args.map(String) };
}

/** A block directive such as `server { ... }` or `location /api/ { ... }`. */
export function blockDirective(
    name: string,
    args: readonly (string | number)[],
    block: readonly NginxDirective[],
): NginxDirective {
    return { name, args: args.map(String), block };
}

/** Written bare when nginx reads it back unchanged: no whitespace, quote, backslash, `;`, `{`, `}` or `#`. */
const BARE_WORD = /^[^\s"'\\;{}#]+$/;
const ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** One word as nginx's lexer reads it back: bare when that is safe, otherwise double-quoted with escapes. */
export function quoteNginxWord(word: string): string {
    return BARE_WORD.test(word) ? word : `"${word.replace(/["\\\n\r\t]/g, (char) => ESCAPES[char])}"`;
}

/** The configuration text of a tree: one directive a line, blocks indented by four spaces, ending with a newline. */
export function serializeNginxConfig(tree: readonly NginxDirective[]): string {
    const lines: string[] = [];
    const write = (directives: readonly NginxDirective[], indent: string) => {
        for (const { name, args, block } of directives) {
            const words = [name, ...args].map(quoteNginxWord).join(" ");
            if (block === undefined) {
                lines.push(`${indent}${words};`);
            } else {
                lines.push(`${indent}${words} {`);
                write(block, `${indent}    `);
                lines.push(`${indent}}`);
            }
        }
    };
    write(tree, "");
    return `${lines.join("\n")}\n`;
}

const UNESCAPED: Readonly<Record<string, string>> = { '"': '"', "'": "'", "\\": "\\", t: "\t", r: "\r", n: "\n" };

/** A word's value as nginx stores it: the escapes it knows replaced, every other backslash kept. */
function unescape(raw: string): string {
    return raw.replace(/\\([\s\S])/g, (escape, char: string) => UNESCAPED[char] ?? escape);
}

const isSpace = (char: string | undefined) => char === " " || char === "\t" || char === "\r" || char === "\n";

interface OpenBlock {
    readonly directives: NginxDirective[];
}

/**
 * Parses nginx configuration text into directives, as nginx would read it (included files are not followed);
 * throws with the reason where nginx would refuse the text.
 */
export function parseNginxConfig(text: string): NginxDirective[] {
    const open: OpenBlock[] = [{ directives: [] }];
    let words: string[] = [];
    let index = 0;
    const end = (terminator: ";" | "{") => {
        if (words.length === 0) {
            throw new Error(`an unexpected ${terminator} follows no directive`);
        }
        const [name, ...args] = words;
        words = [];
        if (terminator === ";") {
            open[open.length - 1].directives.push({ name, args });
        } else {
            const block: NginxDirective[] = [];
            open[open.length - 1].directives.push({ name, args, block });
            open.push({ directives: block });
        }
    };
    while (index < text.length) {
        const char = text[index];
        if (isSpace(char)) {
            index++;
        } else if (char === "#") {
            const newline = text.indexOf("\n", index);
            index = newline === -1 ? text.length : newline;
        } else if (char === ";" || char === "{") {
            end(char);
            index++;
        } else if (char === "}") {
            if (words.length > 0) {
                throw new Error(`the directive "${words[0]}" does not end with ;`);
            }
            if (open.length === 1) {
                throw new Error("an unexpected } closes a block that was never opened");
            }
            open.pop();
            index++;
        } else if (char === '"' || char === "'") {
            let close = index + 1;
            while (close < text.length && text[close] !== char) {
                close += text[close] === "\\" ? 2 : 1;
            }
            if (close >= text.length) {
                throw new Error(`a ${char} quoted word is never closed`);
            }
            words.push(unescape(text.slice(index + 1, close)));
            index = close + 1;
            const next = text[index];
            // After a closing quote nginx accepts only a separator, or `)` (which starts the next word).
            if (next !== undefined && !isSpace(next) && next !== ";" && next !== "{" && next !== ")") {
                throw new Error(`"${next}" follows a quoted word without a space`);
            }
        } else {
            // A bare word ends at whitespace, `;` or `{`, except the `{` of `${name}`; `}` and quotes are part of it.
            let stop = index;
            let variable = false;
            while (stop < text.length) {
                const current = text[stop];
                if (current === "{" && variable) {
                    stop++;
                    continue;
                }
                variable = current === "$";
                if (current === "\\") {
                    stop += 2;
                } else if (isSpace(current) || current === ";" || current === "{") {
                    break;
                } else {
                    stop++;
                }
            }
            words.push(unescape(text.slice(index, Math.min(stop, text.length))));
            index = stop;
        }
    }
    if (open.length > 1) {
        throw new Error("a { is never closed");
    }
    if (words.length > 0) {
        throw new Error(`the directive "${words[0]}" does not end with ;`);
    }
    return open[0].directives;
}

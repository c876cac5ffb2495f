/** Quotes one word for a POSIX shell: safe for any text, including quotes and spaces. */
export function shellQuote(word: string): string {
    if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) {
        return word;
    }
    return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command line from words, each quoted as needed. */
export function shellCommand(words: readonly string[]): string {
    return words.map(shellQuote).join(" ");
}

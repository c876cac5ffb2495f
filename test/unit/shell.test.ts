import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shellCommand, shellQuote } from "../../components/shell";
import { shellWords } from "../../rules/shellWords";

/** Characters that mean something to a shell, mixed with ordinary ones. */
const SHELL_TEXT = fc.string({
    unit: fc.constantFrom(..."aZ09_-./:=,@%+ \t\n'\"\\$`#*?[]{}()<>|&;!~^".split(""), "\u00a0", "é", "${X}", "2>&1"),
});

describe("shell quoting", () => {
    it("leaves plain words as they are and quotes the rest", () => {
        expect(shellCommand(["docker", "run", "--user", "10001:10001", "--label", "a=b", "img@sha256:0f"])).toBe(
            "docker run --user 10001:10001 --label a=b img@sha256:0f",
        );
        expect(shellQuote("")).toBe("''");
        expect(shellQuote("it's $HOME")).toBe("'it'\\''s $HOME'");
    });

    it("quotes every word so that a shell parser (shell-quote) reads back exactly the words", () => {
        fc.assert(
            fc.property(fc.array(SHELL_TEXT, { maxLength: 6 }), (words) => {
                expect(shellWords(shellCommand(words))).toEqual(words);
            }),
            { numRuns: 500 },
        );
    });
});

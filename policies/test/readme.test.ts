import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GUARD_TABLE_END, GUARD_TABLE_START, guardTable } from "../lib/guardTable";
import { GUARD_METADATA } from "../registry";

const README = join(__dirname, "../../README.md");

/** Where the generated part of the README begins and ends (inside the markers). */
function bounds(text: string): { start: number; end: number } {
    const start = text.indexOf(GUARD_TABLE_START);
    const end = text.indexOf(GUARD_TABLE_END);
    expect(start, "README.md has the guard table's start marker").toBeGreaterThan(-1);
    expect(end, "README.md has the guard table's end marker after it").toBeGreaterThan(start);
    return { start: start + GUARD_TABLE_START.length, end };
}

describe("README.md's guard table", () => {
    it("lists every guard with the severity, topics and checklist items the registry declares", () => {
        let text = readFileSync(README, "utf8");
        const expected = guardTable(GUARD_METADATA);
        if (process.env.UPDATE_GUARD_TABLE === "1") {
            const { start, end } = bounds(text);
            text = `${text.slice(0, start)}\n\n${expected}\n\n${text.slice(end)}`;
            writeFileSync(README, text);
        }
        const { start, end } = bounds(text);
        expect(text.slice(start, end).trim()).toBe(expected);
    });
});

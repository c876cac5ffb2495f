import { describe, expect, it } from "vitest";
import { StackConfigError, parseStackConfig } from "../../config/stackConfig";
import { formatFinding } from "../../rules/finding";
import { CORPUS, DUAL_MODE } from "../corpus";
import { entryValues, productionValues, secretTopLevelKeys, valuesNeverPrinted } from "../corpus/productionConfig";

/**
 * The unsafe-config corpus (test/corpus) against the program's validation under no engine: the fast mirror of
 * test/engine/corpus.test.ts, which runs the same entries through the real CLI and the policy pack.
 */
const CERTIFIED: Record<string, unknown> = {
    ...productionValues(),
    tlsPrivateKey: "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
};
(CERTIFIED.nginx as Record<string, unknown>).certificatePem =
    "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

function refusal(values: Record<string, unknown>, secretKeys: string[]): StackConfigError {
    try {
        parseStackConfig(values, { stack: "corpus", secretKeys }, (value) => value);
    } catch (error) {
        if (error instanceof StackConfigError) {
            return error;
        }
        throw error;
    }
    throw new Error("the config was accepted");
}

describe("the unsafe production config corpus", () => {
    it("holds at least 80 entries, at least 60 refused in both modes, each named once", () => {
        expect(CORPUS.length).toBeGreaterThanOrEqual(80);
        expect(DUAL_MODE.length).toBeGreaterThanOrEqual(60);
        expect(new Set(CORPUS.map((entry) => entry.name)).size).toBe(CORPUS.length);
        for (const entry of CORPUS) {
            expect(entry.name).toMatch(/^[a-z][a-z0-9-]{0,40}$/);
        }
    });

    it("starts from a production config the program accepts", () => {
        expect(() =>
            parseStackConfig(
                CERTIFIED,
                { stack: "corpus", secretKeys: ["webplatform:tlsPrivateKey"] },
                (value) => value,
            ),
        ).not.toThrow();
    });

    it.each(CORPUS.map((entry) => [entry.name, entry] as const))(
        "%s is refused naming its keys and their fixes, printing no secret",
        (_name, entry) => {
            const error = refusal(entryValues(CERTIFIED, entry), secretTopLevelKeys(entry));
            const named = error.findings.map((finding) => finding.key);
            expect(named).toEqual(expect.arrayContaining([...entry.keys]));
            for (const finding of error.findings.filter((finding) => entry.keys.includes(finding.key))) {
                expect(finding.fix.length).toBeGreaterThan(10);
                expect(error.message).toContain(formatFinding(finding));
            }
            for (const value of valuesNeverPrinted(entry)) {
                expect(error.message).not.toContain(value);
            }
        },
    );
});

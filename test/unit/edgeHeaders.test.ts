import { describe, expect, it } from "vitest";
import { StackConfigError, parseStackConfig } from "../../config/stackConfig";
import {
    DEFAULT_CONTENT_SECURITY_POLICY,
    UPLOAD_CONTENT_SECURITY_POLICY,
    contentSecurityPolicyProblems,
    headerProblems,
    securityHeaders,
    uploadHeaders,
} from "../../rules/securityHeaders";

/** The stack config keys of the edge's headers: HSTS preload and the Content-Security-Policy, refused with a fix. */
const DEV = {
    environment: "development",
    domain: "localhost",
    backend: { image: "app:1.0.0", migrationCommand: ["app", "migrate"] },
};

function problems(nginx: Record<string, unknown>): string[] {
    try {
        parseStackConfig({ ...DEV, nginx }, { stack: "dev", secretKeys: [] }, (value) => value);
        return [];
    } catch (error) {
        return (error as StackConfigError).message.split("\n").slice(1);
    }
}

const SETTINGS = { hstsMaxAgeSeconds: 63072000, hstsPreload: false, contentSecurityPolicy: "default-src 'self'" };
const asMap = (list: ReadonlyArray<readonly [string, string]>) =>
    new Map(list.map(([name, value]) => [name.toLowerCase(), value]));
const POLICY = { minimumHstsMaxAgeSeconds: 31536000 };

describe("edge header settings", () => {
    it("sends preload only when asked, and refuses it with less than a year of max-age", () => {
        expect(problems({ hstsPreload: true })).toEqual([]);
        expect(securityHeaders({ ...SETTINGS, hstsPreload: true })[0]).toEqual([
            "Strict-Transport-Security",
            "max-age=63072000; includeSubDomains; preload",
        ]);
        expect(problems({ hstsPreload: true, hstsMaxAgeSeconds: 86400 })).toEqual([
            "  - webplatform:nginx.hstsPreload: is true, but HSTS preload needs a max-age of at least 31536000 seconds, and it is 86400. Fix: raise nginx.hstsMaxAgeSeconds to at least a year (the default is two years) or remove hstsPreload.",
        ]);
    });

    it.each([
        [
            "no default-src",
            "script-src 'self'",
            "has no default-src, so anything it does not name may load from anywhere",
        ],
        [
            "any script source",
            "default-src 'self'; script-src https:",
            "lets scripts load from https:, which is any site",
        ],
        ["a wildcard default", "default-src *", "lets scripts load from *, which is any site"],
        ["a line break", "default-src 'self';\nscript-src 'self'", "contains a line break"],
        ["nothing", "", "is missing"],
    ])("refuses a Content-Security-Policy with %s, naming the key", (_case, policy, problem) => {
        expect(problems({ contentSecurityPolicy: policy })).toEqual([
            `  - webplatform:nginx.contentSecurityPolicy: ${problem}. Fix: give default-src and script-src only the sources the pages need (for example 'self'), on one line, or remove the key for the default: ${DEFAULT_CONTENT_SECURITY_POLICY}.`,
        ]);
        expect(contentSecurityPolicyProblems(policy)).toEqual([`Content-Security-Policy ${problem}`]);
    });

    it("accepts the default and a stack's own policy, which it sends unchanged", () => {
        expect(contentSecurityPolicyProblems(DEFAULT_CONTENT_SECURITY_POLICY)).toEqual([]);
        const own = "default-src 'self'; img-src 'self' data:; script-src 'self' 'sha256-abc='";
        expect(problems({ contentSecurityPolicy: own })).toEqual([]);
        expect(asMap(securityHeaders({ ...SETTINGS, contentSecurityPolicy: own })).get("content-security-policy")).toBe(
            own,
        );
    });

    it("gives uploads a sandbox policy and a download, and holds them to it", () => {
        const uploads = asMap(uploadHeaders(SETTINGS));
        expect(uploads.get("content-security-policy")).toBe(UPLOAD_CONTENT_SECURITY_POLICY);
        expect(uploads.get("content-disposition")).toBe("attachment");
        expect(headerProblems(uploads, POLICY, true)).toEqual([]);
        const pages = asMap(securityHeaders(SETTINGS));
        expect(headerProblems(pages, POLICY)).toEqual([]);
        expect(headerProblems(pages, POLICY, true)).toEqual([
            "Content-Security-Policy has no sandbox without allow-scripts",
            "Content-Disposition is not attachment",
        ]);
        const scripted = new Map(uploads).set("content-security-policy", "default-src 'none'; sandbox allow-scripts");
        expect(headerProblems(scripted, POLICY, true)).toEqual([
            "Content-Security-Policy has no sandbox without allow-scripts",
        ]);
    });

    it("requires Cross-Origin-Opener-Policy same-origin on pages", () => {
        const pages = new Map(asMap(securityHeaders(SETTINGS))).set("cross-origin-opener-policy", "unsafe-none");
        expect(headerProblems(pages, POLICY)).toEqual([
            "Cross-Origin-Opener-Policy is not same-origin or same-origin-allow-popups",
        ]);
    });
});

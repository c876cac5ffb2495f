/**
 * Hosts, origins and SameSite cookies (issue #15, class 6): the shared rules on the cases of hostOriginCases.ts,
 * then the program refusing each unsafe case in backend.env and in a worker group's env before anything registers.
 */
import { describe, expect, it } from "vitest";
import { productionConfig } from "./productionConfig";
import { APPLICATION_ENVIRONMENT_RULES, Site } from "../../rules/applicationEnvironment";
import { StackConfigError, parseStackConfig } from "../../config/stackConfig";
import {
    CASE_DOMAIN,
    EnvironmentCase,
    SAFE_COOKIE_CASES,
    SAFE_HOST_CASES,
    SAFE_ORIGIN_CASES,
    UNSAFE_COOKIE_CASES,
    UNSAFE_HOST_CASES,
    UNSAFE_ORIGIN_CASES,
} from "./hostOriginCases";

const production = productionConfig;

const HOST_RULES = [
    "app-allowed-hosts",
    "app-cors-origins",
    "app-csrf-trusted-origins",
    "app-cookie-samesite",
] as const;

/** The keys the host, origin and cookie rules find in the production env with the case laid over it. */
function findingKeys(testCase: EnvironmentCase, site: Site): string[] {
    const env = { ...production().backend.env, ...testCase.env };
    const withSite = { ...site, allowCrossSiteSessionCookies: testCase.allowCrossSiteSessionCookies === true };
    return HOST_RULES.flatMap((name) => APPLICATION_ENVIRONMENT_RULES[name](env, withSite)).map(
        (finding) => finding.key,
    );
}

/** The program's refusal of the production stack with the case in `where` ("backend" or a worker group). */
function refusal(testCase: EnvironmentCase, where: "backend" | "daphne"): string | undefined {
    const raw = production();
    if (where === "backend") {
        raw.backend = { ...raw.backend, env: { ...raw.backend.env, ...testCase.env } };
    } else {
        raw.workers.daphne = { ...raw.workers.daphne, env: { ...testCase.env } };
    }
    if (testCase.allowCrossSiteSessionCookies) {
        raw.allowCrossSiteSessionCookies = true;
    }
    try {
        parseStackConfig(raw, { stack: "prod", secretKeys: ["webplatform:tlsPrivateKey"] }, (value) => value);
    } catch (error) {
        if (error instanceof StackConfigError) {
            return error.message;
        }
        throw error;
    }
    return undefined;
}

const UNSAFE = [...UNSAFE_HOST_CASES, ...UNSAFE_ORIGIN_CASES, ...UNSAFE_COOKIE_CASES];
const SAFE = [...SAFE_HOST_CASES, ...SAFE_ORIGIN_CASES, ...SAFE_COOKIE_CASES];
const byName = (cases: readonly EnvironmentCase[]) => cases.map((testCase) => [testCase.name, testCase] as const);

describe("host, origin and cookie rules with the stack's domain", () => {
    it.each(byName(UNSAFE))("refuse %s, naming the variable", (_name, testCase) => {
        expect(findingKeys(testCase, { domain: CASE_DOMAIN })).toContain(testCase.key);
    });
    it.each(byName(SAFE))("accept %s", (_name, testCase) => {
        expect(findingKeys(testCase, { domain: CASE_DOMAIN })).toEqual([]);
    });
    it.each(byName(UNSAFE.filter((testCase) => !testCase.needsDomain)))(
        "refuse %s without knowing the domain (the pack's view)",
        (_name, testCase) => {
            expect(findingKeys(testCase, {})).toContain(testCase.key);
        },
    );
    it.each(byName(UNSAFE.filter((testCase) => testCase.needsDomain)))(
        "need the domain to refuse %s",
        (_name, testCase) => {
            expect(findingKeys(testCase, {})).not.toContain(testCase.key);
        },
    );
    it.each(byName(SAFE))("accept %s without knowing the domain", (_name, testCase) => {
        expect(findingKeys(testCase, {})).toEqual([]);
    });
});

describe("the exact findings", () => {
    const rules = APPLICATION_ENVIRONMENT_RULES;
    it("names a wildcard wider than the domain and the fix", () => {
        expect(rules["app-allowed-hosts"]({ ALLOWED_HOSTS: ".example.com" }, { domain: CASE_DOMAIN })).toEqual([
            {
                key: "ALLOWED_HOSTS",
                problem: `entry ".example.com" matches every subdomain of example.com, wider than the stack's domain ${CASE_DOMAIN}.`,
                fix: `name the host(s) instead, or use .${CASE_DOMAIN} for the domain and its subdomains.`,
            },
        ]);
    });
    it("names a list without the domain", () => {
        expect(rules["app-allowed-hosts"]({ ALLOWED_HOSTS: "shop.example.net" }, { domain: CASE_DOMAIN })).toEqual([
            {
                key: "ALLOWED_HOSTS",
                problem: `does not include the stack's domain ${CASE_DOMAIN}, so every request to the site is refused.`,
                fix: `add ${CASE_DOMAIN} to ALLOWED_HOSTS.`,
            },
        ]);
    });
    it("names a CSRF origin off the site", () => {
        expect(
            rules["app-csrf-trusted-origins"](
                { ALLOWED_HOSTS: CASE_DOMAIN, CSRF_TRUSTED_ORIGINS: "https://evil.example.net" },
                { domain: CASE_DOMAIN },
            ),
        ).toEqual([
            {
                key: "CSRF_TRUSTED_ORIGINS",
                problem: `origin "https://evil.example.net" is neither on the stack's domain ${CASE_DOMAIN} nor on a host ALLOWED_HOSTS names.`,
                fix: `list only https origins of the site's own hosts (https://${CASE_DOMAIN}) in CSRF_TRUSTED_ORIGINS.`,
            },
        ]);
    });
    it("names both faults of a SameSite=None session cookie without Secure", () => {
        expect(rules["app-cookie-samesite"]({ SESSION_COOKIE_SAMESITE: "None" }, {})).toEqual([
            {
                key: "SESSION_COOKIE_SAMESITE",
                problem:
                    "is None but SESSION_COOKIE_SECURE is not on, so browsers drop the cookie or send it over plain HTTP.",
                fix: "set SESSION_COOKIE_SECURE=True, or set SESSION_COOKIE_SAMESITE=Lax.",
            },
            {
                key: "SESSION_COOKIE_SAMESITE",
                problem: "is None, so every other web site's requests carry the login (cross-site request forgery).",
                fix: "set SESSION_COOKIE_SAMESITE=Lax, or, for a frontend on another site, set webplatform:allowCrossSiteSessionCookies=true (and the pack's app-cookie-samesite allowCrossSiteSessionCookies).",
            },
        ]);
    });
});

describe("the program refuses every unsafe host, origin and cookie before registration", () => {
    it("accepts Pulumi.prod.yaml as shipped", () => {
        expect(refusal({ name: "none", env: {} }, "backend")).toBeUndefined();
    });
    it.each(byName(UNSAFE))("refuses %s in backend.env", (_name, testCase) => {
        expect(refusal(testCase, "backend")).toContain(`\n  - webplatform:backend.env.${testCase.key}: `);
    });
    it.each(byName(UNSAFE))("refuses %s in a worker group's env", (_name, testCase) => {
        expect(refusal(testCase, "daphne")).toContain(`\n  - webplatform:workers.daphne.env.${testCase.key}: `);
    });
    it.each(byName(SAFE))("accepts %s", (_name, testCase) => {
        expect(refusal(testCase, "backend")).toBeUndefined();
    });
});

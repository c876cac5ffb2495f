/**
 * The pack's host, origin and cookie guards on the cases of test/unit/hostOriginCases.ts, laid over the production
 * fixture's web container. The pack cannot see webplatform:domain, so cases marked needsDomain are the program's
 * alone (test/unit/hostsOrigins.test.ts); every other unsafe case is refused here too.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { applicationEnvironmentPolicies } from "../registry";
import { TYPES } from "../lib/guard";
import { platformFixture } from "./fixtures";
import { runResourcePolicy, withChange } from "./harness";
import { setEnv } from "./helpers";
import {
    EnvironmentCase,
    SAFE_COOKIE_CASES,
    SAFE_HOST_CASES,
    SAFE_ORIGIN_CASES,
    UNSAFE_COOKIE_CASES,
    UNSAFE_HOST_CASES,
    UNSAFE_ORIGIN_CASES,
} from "../../test/unit/hostOriginCases";

let web: Record<string, unknown>;
beforeAll(async () => {
    web = (await platformFixture()).named("thebot-backend-web-1").props;
});

/** Every application-environment violation of the web container with the case's variables set. */
function violations(testCase: EnvironmentCase): string[] {
    const props = withChange(web, (copy) => {
        for (const [key, value] of Object.entries(testCase.env)) {
            setEnv(copy, key, value);
        }
    });
    return applicationEnvironmentPolicies.flatMap((policy) => {
        const config =
            policy.name === "app-cookie-samesite" && testCase.allowCrossSiteSessionCookies
                ? { allowCrossSiteSessionCookies: true }
                : {};
        return runResourcePolicy(policy, { type: TYPES.container, name: "thebot-backend-web-1", props }, config)
            .violations;
    });
}

const byName = (cases: readonly EnvironmentCase[]) => cases.map((testCase) => [testCase.name, testCase] as const);
const UNSAFE = [...UNSAFE_HOST_CASES, ...UNSAFE_ORIGIN_CASES, ...UNSAFE_COOKIE_CASES];

describe("the pack's host, origin and cookie guards", () => {
    it("accept the production fixture", () => {
        expect(violations({ name: "none", env: {} })).toEqual([]);
    });
    it.each(byName(UNSAFE.filter((testCase) => !testCase.needsDomain)))(
        "refuse %s, naming the variable and the fix",
        (_name, testCase) => {
            const found = violations(testCase);
            expect(found.length).toBeGreaterThan(0);
            expect(found).toContainEqual(
                expect.stringMatching(
                    new RegExp(
                        `^Container "thebot-backend-web-1" breaks app-[a-z-]+: envs\\.${testCase.key}: .+ Fix: .+`,
                    ),
                ),
            );
        },
    );
    it.each(byName([...SAFE_HOST_CASES, ...SAFE_ORIGIN_CASES, ...SAFE_COOKIE_CASES]))(
        "accept %s",
        (_name, testCase) => {
            expect(violations(testCase)).toEqual([]);
        },
    );
    it("refuses a SameSite=None session cookie by default and accepts it with the pack's allowance", () => {
        const crossSite = { name: "cross-site session", env: { SESSION_COOKIE_SAMESITE: "None" } };
        expect(violations(crossSite)).toEqual([
            "Container \"thebot-backend-web-1\" breaks app-cookie-samesite: envs.SESSION_COOKIE_SAMESITE: is None, so every other web site's requests carry the login (cross-site request forgery). Fix: set SESSION_COOKIE_SAMESITE=Lax, or, for a frontend on another site, set webplatform:allowCrossSiteSessionCookies=true (and the pack's app-cookie-samesite allowCrossSiteSessionCookies).",
        ]);
        expect(violations({ ...crossSite, allowCrossSiteSessionCookies: true })).toEqual([]);
    });
});

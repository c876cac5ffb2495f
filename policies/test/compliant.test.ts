import { beforeAll, describe, expect, it } from "vitest";
import { POLICIES } from "../registry";
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { PlatformFixture, asPreview, platformFixture } from "./fixtures";
import { UNKNOWN, runResourcePolicy, runStackPolicy } from "./harness";

const resourcePolicies = POLICIES.filter((policy): policy is ResourceValidationPolicy => "validateResource" in policy);
const stackPolicies = POLICIES.filter((policy): policy is StackValidationPolicy => "validateStack" in policy);

function allViolations(fixture: PlatformFixture) {
    const violations: string[] = [];
    const cantRun: string[] = [];
    for (const policy of resourcePolicies) {
        for (const resource of fixture.resources) {
            const outcome = runResourcePolicy(policy, resource);
            violations.push(...outcome.violations);
            if (outcome.cantRunDuringPreview) {
                cantRun.push(`${policy.name} on ${resource.name}: ${outcome.cantRunDuringPreview}`);
            }
        }
    }
    for (const policy of stackPolicies) {
        const outcome = runStackPolicy(policy, fixture.resources);
        violations.push(...outcome.violations);
        if (outcome.cantRunDuringPreview) {
            cantRun.push(`${policy.name}: ${outcome.cantRunDuringPreview}`);
        }
    }
    return { violations, cantRun };
}

describe("the production platform built by the components", () => {
    let fixture: PlatformFixture;
    beforeAll(async () => {
        fixture = await platformFixture();
    });

    it("passes every policy of the pack at update time", () => {
        expect(allViolations(fixture)).toEqual({ violations: [], cantRun: [] });
    });

    it("passes every policy at preview, where secrets, image IDs and the migration script are unknown", () => {
        expect(allViolations(asPreview(fixture, UNKNOWN))).toEqual({ violations: [], cantRun: [] });
    });
});

import { afterAll, describe, expect, it } from "vitest";
import { testCertificate } from "./certificate";
import { PulumiProject, REPO_ROOT } from "./pulumiCli";

/**
 * Hosts and origins under the real CLI (issue #15, class 6): the production stack with an ALLOWED_HOSTS wildcard
 * wider than its domain is refused by `pulumi preview` before anything registers, with and without the policy pack.
 * The wildcard is one only the program can judge (the pack cannot see webplatform:domain), so with the pack too it
 * is the program that refuses, proving a production stack is safe without --policy-pack.
 */
const POLICY_ARGS = [
    "--policy-pack",
    `${REPO_ROOT}/policies`,
    "--policy-pack-config",
    `${REPO_ROOT}/policies/config/production.json`,
];

describe("a production stack with an ALLOWED_HOSTS wider than its domain", () => {
    const project = new PulumiProject("hosts");
    afterAll(() => project.remove());

    it("is refused by preview with and without the pack, naming the key and the fix, and registers nothing", async () => {
        await project.initStack("prod", "Pulumi.prod.yaml");
        const { certificate, key } = testCertificate("thebot.example.com");
        await project.setConfig("nginx.certificatePem", certificate, { path: true });
        await project.setConfig("webplatform:tlsPrivateKey", key, { secret: true });
        await project.setConfig("backend.env.ALLOWED_HOSTS", ".example.com", { path: true });
        for (const extra of [[], POLICY_ARGS]) {
            const result = await project.pulumi(["preview", "--stack", "prod", ...extra]);
            expect(result.code).not.toBe(0);
            expect(result.output).toContain("Stack configuration is invalid (1 problem); nothing was deployed:");
            expect(result.output).toContain(
                `webplatform:backend.env.ALLOWED_HOSTS: entry ".example.com" matches every subdomain of example.com, wider than the stack's domain thebot.example.com. Fix: name the host(s) instead, or use .thebot.example.com for the domain and its subdomains.`,
            );
            expect(result.output).not.toContain("BEGIN PRIVATE KEY");
        }
        const exported = JSON.parse((await project.must(["stack", "export", "--stack", "prod"])).stdout);
        expect(exported.deployment.resources ?? []).toEqual([]);
    });
});

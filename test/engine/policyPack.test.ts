import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testCertificate } from "./certificate";
import { packOptions, packWithoutLibrary } from "./policyPackBuild";
import { PulumiProject, REPO_ROOT } from "./pulumiCli";

/**
 * The policy pack under the real CLI: the production guards are mandatory and stop both preview and up before
 * anything is created; the same guards are warnings with the development config. Exercised on a program written
 * in plain @pulumi/docker (test/engine/fixtures/plain-docker), whose variants are the seed failures, and on this
 * project's own stacks.
 */
const POLICIES = packWithoutLibrary();
const PRODUCTION = packOptions(POLICIES, "production");
const DEVELOPMENT = packOptions(POLICIES, "development");
const FIXTURE = join(REPO_ROOT, "test/engine/fixtures/plain-docker");

/** Seed failure → the guard that must name it, and the resource it is reported on. */
const SEED_FAILURES: [string, string, string][] = [
    ["debug-true", "app-debug-disabled", "web"],
    ["insecure-secret-key", "app-secret-key-strength", "web"],
    ["sqlite-database", "app-database-url-postgres", "web"],
    ["unparseable-database-url", "app-database-url-postgres", "web"],
    ["localhost-allowed-hosts", "app-allowed-hosts", "web"],
    ["environment-development", "app-production-marker", "web"],
    ["memory-broker", "app-redis-broker", "web"],
    ["data-dir-in-app", "app-data-directory-outside-code", "web"],
    ["short-session-secret", "app-session-secret-strength", "web"],
    ["latest-image", "image-pinned", "app-image"],
    ["pg-isready-without-d", "postgres-healthcheck-user-and-database", "postgres"],
    ["database-port-public", "datastore-ports-loopback-only", "postgres"],
    ["redis-no-password", "redis-requires-password", "redis"],
    ["no-healthcheck", "container-healthcheck", "web"],
    ["no-migration", "app-after-migration", "web"],
];

async function resourceCount(project: PulumiProject, stack: string): Promise<number> {
    const exported = JSON.parse((await project.must(["stack", "export", "--stack", stack])).stdout);
    return (exported.deployment.resources ?? []).length;
}

describe("policy pack on a plain @pulumi/docker program", () => {
    const project = new PulumiProject("policy-plain", {
        from: FIXTURE,
        files: ["Pulumi.yaml", "package.json", "index.ts"],
    });
    beforeAll(async () => {
        await project.initStack("prod");
        await project.initStack("dev");
    });
    afterAll(() => project.remove());

    it("passes the compliant program with every guard mandatory", async () => {
        await project.setConfig("plain-docker:variant", "compliant");
        const preview = await project.pulumi(["preview", "--stack", "prod", ...PRODUCTION]);
        expect(preview.output).toContain("✅ webplatform-production-guards@v0.1.0");
        expect(preview.code).toBe(0);
    });

    it.each(SEED_FAILURES)(
        "refuses %s in preview and in up, naming %s, and creates nothing",
        async (variant, policy, resource) => {
            await project.must(["config", "set", "--stack", "prod", "plain-docker:variant", variant]);
            const preview = await project.pulumi(["preview", "--stack", "prod", ...PRODUCTION]);
            expect(preview.code).not.toBe(0);
            expect(preview.output).toMatch(
                new RegExp(`\\[mandatory\\]\\s+${policy}\\s+\\(docker:index:\\w+: ${resource}\\)`),
            );
            expect(preview.output).toContain(`breaks ${policy}`);
            const up = await project.pulumi(["up", "--yes", "--stack", "prod", ...PRODUCTION]);
            expect(up.code).not.toBe(0);
            expect(up.output).toContain(`[mandatory]  ${policy}`);
            expect(await resourceCount(project, "prod")).toBe(0);
        },
    );

    it.each(SEED_FAILURES)("only warns about %s on a dev stack (%s advisory)", async (variant, policy) => {
        await project.must(["config", "set", "--stack", "dev", "plain-docker:variant", variant]);
        const preview = await project.pulumi(["preview", "--stack", "dev", ...DEVELOPMENT]);
        expect(preview.code).toBe(0);
        expect(preview.output).toContain(`[advisory]  ${policy}`);
    });

    it("never prints a secret value in a violation", async () => {
        await project.must(["config", "set", "--stack", "prod", "plain-docker:variant", "insecure-secret-key"]);
        const preview = await project.pulumi(["preview", "--stack", "prod", ...PRODUCTION]);
        expect(preview.output).not.toContain("django-insecure-2x!k@9#pq$w7e^r5t&y3u*i1o(p)a_s-d=f+g");
        expect(preview.output).not.toContain("Zq7rT2mW9xK4pL8nV3cB6yH1dF5gJ0sA");
    });
});

describe("policy pack on this project's stacks", () => {
    const project = new PulumiProject("policy-own");
    afterAll(() => project.remove());

    it("previews the production stack in the repo clean with every guard mandatory", async () => {
        await project.initStack("prod", "Pulumi.prod.yaml");
        const { certificate, key } = testCertificate("thebot.example.com");
        await project.setConfig("nginx.certificatePem", certificate, { path: true });
        await project.setConfig("webplatform:tlsPrivateKey", key, { secret: true });
        const preview = await project.pulumi(["preview", "--stack", "prod", ...PRODUCTION]);
        expect(preview.output).toContain("✅ webplatform-production-guards@v0.1.0");
        expect(preview.code).toBe(0);
    });

    it("inspects the resources our components really deploy: the dev stack breaks production guards", async () => {
        await project.initStack("dev", "Pulumi.dev.yaml");
        const preview = await project.pulumi(["preview", "--stack", "dev", ...PRODUCTION]);
        expect(preview.code).not.toBe(0);
        // The dev stack runs local images by moving tags, which production refuses.
        expect(preview.output).toMatch(
            /\[mandatory\]\s+image-pinned\s+\(docker:index:RemoteImage: wp-dev-postgres-image\)/,
        );
        const devPreview = await project.pulumi(["preview", "--stack", "dev", ...DEVELOPMENT]);
        expect(devPreview.code).toBe(0);
        expect(devPreview.output).toContain("[advisory]  image-pinned");
    });
});

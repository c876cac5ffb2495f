import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testCertificate } from "./certificate";
import { resourceNameOf } from "./docker";
import { PulumiProject } from "./pulumiCli";

const EXAMPLES: [string, string, string[]][] = [
    [
        "django-celery-channels",
        "thebot.example.com",
        ["backend-web-1", "celery-beat-1", "celery-worker-1", "daphne-1", "nginx", "postgres", "redis"],
    ],
    ["fastapi-alembic", "api.privexbot.example.com", ["backend-web-1", "nginx", "postgres", "redis"]],
    [
        "fastapi-admin-telegram-bot",
        "admin.recruitsmart.example.com",
        ["backend-web-1", "bot-1", "nginx", "postgres", "redis"],
    ],
];

describe.each(EXAMPLES)("the %s system previews as a production stack", (example, host, containers) => {
    const project = new PulumiProject(example);
    afterAll(() => project.remove());

    it("plans exactly its containers, behind the migration step, with secrets set only as secrets", async () => {
        await project.initStack("prod", `examples/${example}/Pulumi.stack.yaml`);
        const { certificate, key } = testCertificate(host);
        await project.setConfig("nginx.certificatePem", certificate, { path: true });
        await project.setConfig("webplatform:tlsPrivateKey", key, { secret: true });
        if (example === "fastapi-admin-telegram-bot") {
            await project.setConfig("secretEnv.BOT_TOKEN", "123456:TEST-TOKEN-NOT-REAL", { secret: true, path: true });
        }
        const preview = await project.must(["preview", "--stack", "prod", "--json"]);
        const steps = JSON.parse(preview.stdout).steps as any[];
        const planned = steps
            .filter((step) => step.newState?.type === "docker:index/container:Container")
            .map((step) => resourceNameOf(step.newState.inputs.name))
            .sort();
        expect(planned).toEqual(containers.map((container) => `wp-prod-${container}`));
        expect(
            steps
                .filter((step) => step.newState?.type === "command:local:Command")
                .map((step) => step.urn.split("::").pop())
                .sort(),
        ).toEqual(
            [
                "wp-prod-backend-migrate-run",
                "wp-prod-nginx-tls-key-write-run",
                "wp-prod-postgres-password-sync",
                "wp-prod-smoke-check-run",
                // One health gate per app container.
                ...containers
                    .filter((container) => !["nginx", "postgres", "redis"].includes(container))
                    .map((container) => `wp-prod-${container}-healthy`),
            ].sort(),
        );
        expect(readFileSync(join(project.dir, "Pulumi.prod.yaml"), "utf8")).not.toContain("BEGIN PRIVATE KEY");
        expect(preview.output).not.toContain("TEST-TOKEN-NOT-REAL");
    });
});

describe("bad stack config under the real engine", () => {
    const project = new PulumiProject("badconfig");
    afterAll(() => project.remove());

    it("fails preview and up with one line per problem and registers nothing", async () => {
        await project.initStack("prod", "Pulumi.prod.yaml");
        await project.setConfig("backend.env.DEBUG", "True", { path: true });
        await project.setConfig("backend.image", "registry.example.com/thebot/backend:latest", { path: true });
        for (const command of [["preview"], ["up", "--yes"]]) {
            const result = await project.pulumi([...command, "--stack", "prod"]);
            expect(result.code).not.toBe(0);
            expect(result.output).toContain("Stack configuration is invalid (3 problems); nothing was deployed:");
            expect(result.output).toContain(
                "webplatform:backend.env.DEBUG: debug mode is enabled, which exposes stack traces and settings to anyone. Fix: set DEBUG=False (or remove it) for production.",
            );
            expect(result.output).toContain(
                'webplatform:backend.image: "registry.example.com/thebot/backend:latest" uses the moving tag "latest".',
            );
            expect(result.output).toContain("webplatform:nginx.certificatePem: is not set");
        }
        const exported = JSON.parse((await project.must(["stack", "export", "--stack", "prod"])).stdout);
        expect(exported.deployment.resources ?? []).toEqual([]);
    });
});

describe("text settings the CLI stores as numbers, under the real engine", () => {
    const project = new PulumiProject("textconfig");
    afterAll(() => project.remove());

    it("previews with backend.env.PORT 8000 and secretsRotation 2026, each read as its text", async () => {
        await project.initStack("prod", "examples/fastapi-alembic/Pulumi.stack.yaml");
        const { certificate, key } = testCertificate("api.privexbot.example.com");
        await project.setConfig("nginx.certificatePem", certificate, { path: true });
        await project.setConfig("webplatform:tlsPrivateKey", key, { secret: true });
        await project.setConfig("backend.env.PORT", "8000", { path: true });
        await project.setConfig("webplatform:secretsRotation", "2026");
        const stackFile = readFileSync(join(project.dir, "Pulumi.prod.yaml"), "utf8");
        expect(stackFile).toMatch(/^ {6}PORT: 8000$/m);
        const preview = await project.must(["preview", "--stack", "prod", "--json"]);
        const keepers = (JSON.parse(preview.stdout).steps as any[])
            .filter((step) => step.newState?.type === "random:index/randomPassword:RandomPassword")
            .map((step) => step.newState.inputs.keepers);
        expect(keepers.length).toBeGreaterThan(0);
        expect(keepers).toEqual(keepers.map(() => ({ rotation: "2026" })));
    });
});

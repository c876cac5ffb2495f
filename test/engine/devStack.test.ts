import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { containersNamed, docker, freeLoopbackPort, networksNamed, removePlatform, volumesNamed } from "./docker";
import { PulumiProject, pulumiVersion } from "./pulumiCli";

/**
 * The README's main job under the real engine: the dev stack previews, deploys on the local Docker engine with
 * the real providers, keeps every secret out of state and output, and is idempotent.
 */
const NAME = "wpe2e";

describe("dev stack on the real engine", () => {
    const project = new PulumiProject("dev");
    let upOutput = "";

    let httpsPort = 0;

    beforeAll(async () => {
        removePlatform(`${NAME}-`);
        project.initStack("dev", "Pulumi.dev.yaml");
        // A name and ports of its own, so a developer's running dev stack is left alone.
        project.setConfig("webplatform:name", NAME);
        project.setConfig("nginx.httpPort", String(await freeLoopbackPort()), { path: true });
        httpsPort = await freeLoopbackPort();
        project.setConfig("nginx.httpsPort", String(httpsPort), { path: true });
    });

    afterAll(() => {
        project.pulumi(["destroy", "--yes", "--stack", "dev"]);
        removePlatform(`${NAME}-`);
        project.remove();
    });

    it("runs the real pulumi CLI, built at its pinned release", () => {
        expect(pulumiVersion()).toBe("v3.259.0");
    });

    it("previews the dev stack with every resource a create", () => {
        const preview = project.must(["preview", "--stack", "dev", "--json"]);
        const plan = JSON.parse(preview.stdout);
        const creates = plan.steps.filter((step: any) => step.op === "create");
        const containers = creates.filter((step: any) => step.newState?.type === "docker:index/container:Container");
        expect(containers.map((step: any) => step.newState.inputs.name).sort()).toEqual([
            `${NAME}-backend-web-1`,
            `${NAME}-nginx`,
            `${NAME}-postgres`,
            `${NAME}-redis`,
            `${NAME}-scheduler-1`,
            `${NAME}-worker-1`,
        ]);
        expect(containersNamed(`${NAME}-`)).toEqual([]);
    });

    it("deploys every container healthy", () => {
        upOutput = project.must(["up", "--yes", "--stack", "dev", "--skip-preview"]).output;
        const running = containersNamed(`${NAME}-`);
        expect(running).toEqual([
            `${NAME}-backend-web-1`,
            `${NAME}-nginx`,
            `${NAME}-postgres`,
            `${NAME}-redis`,
            `${NAME}-scheduler-1`,
            `${NAME}-worker-1`,
        ]);
        for (const container of running) {
            expect(`${container} ${docker(["inspect", "--format", "{{.State.Health.Status}} {{.RestartCount}}", container])}`).toBe(
                `${container} healthy 0`,
            );
        }
        expect(networksNamed(`${NAME}-`)).toEqual([`${NAME}-edge`, `${NAME}-private`]);
    });

    it("keeps every generated secret out of the state file and the CLI output", () => {
        const exported = JSON.parse(project.must(["stack", "export", "--stack", "dev", "--show-secrets"]).stdout);
        const passwords = exported.deployment.resources
            .filter((resource: any) => resource.type === "random:index/randomPassword:RandomPassword")
            // --show-secrets prints a secret as { <secret signature>, plaintext: <JSON text> }.
            .map((resource: any) => JSON.parse(resource.outputs.result.plaintext));
        expect(passwords.length).toBe(3);
        const state = project.stateFileText("dev");
        for (const password of passwords) {
            expect(password).toMatch(/^[A-Za-z0-9]{40,64}$/);
            expect(state.includes(password)).toBe(false);
            expect(upOutput.includes(password)).toBe(false);
        }
        const outputs = project.must(["stack", "output", "--stack", "dev", "--json"]).stdout;
        for (const password of passwords) {
            expect(outputs.includes(password)).toBe(false);
        }
    });

    it("a second up with no changes changes nothing", () => {
        project.must(["up", "--yes", "--stack", "dev", "--expect-no-changes"]);
    });

    it("destroy removes containers and networks and keeps the data volumes", () => {
        project.must(["destroy", "--yes", "--stack", "dev"]);
        expect(containersNamed(`${NAME}-`)).toEqual([]);
        expect(networksNamed(`${NAME}-`)).toEqual([]);
        expect(volumesNamed(`${NAME}-`)).toEqual([
            `${NAME}-data`,
            `${NAME}-postgres-data`,
            `${NAME}-redis-data`,
            `${NAME}-static`,
        ]);
    });
});

import { appendFileSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PulumiProject } from "./pulumiCli";

/**
 * The shipped entry point (Pulumi.yaml `main: stack.js`) runs index.ts compiled to bin/. These previews, through the
 * real CLI and language host, show that it reuses a current build, rebuilds after an edit before running, and
 * refuses to run a program that does not type-check.
 */
describe("the compiled stack program (stack.js)", () => {
    const project = new PulumiProject("compiled");
    const stamp = join(project.dir, "bin", ".source-hash");
    const compiledIndex = join(project.dir, "bin", "index.js");
    const indexTs = join(project.dir, "index.ts");
    const shippedIndex = readFileSync(indexTs, "utf8");

    beforeAll(async () => {
        await project.initStack("dev", "Pulumi.dev.yaml");
        await project.setConfig("webplatform:name", "wpe2e-compiled");
    });

    afterAll(() => project.remove());

    it("previews from the build setup made, without rebuilding it", async () => {
        const builtAt = statSync(compiledIndex).mtimeMs;
        const stampBefore = readFileSync(stamp, "utf8");
        await project.must(["preview", "--stack", "dev"]);
        expect(statSync(compiledIndex).mtimeMs).toBe(builtAt);
        expect(readFileSync(stamp, "utf8")).toBe(stampBefore);
    });

    it("rebuilds after a source edit and runs the edited program", async () => {
        const stampBefore = readFileSync(stamp, "utf8");
        appendFileSync(join(project.dir, "index.ts"), '\nexport const editedMarker = "the edited program ran";\n');
        const preview = await project.must(["preview", "--stack", "dev"]);
        expect(preview.output).toMatch(/editedMarker\s*: "the edited program ran"/);
        expect(readFileSync(stamp, "utf8")).not.toBe(stampBefore);
    });

    it("stops with tsc's error, and deploys nothing, when the program does not type-check", async () => {
        writeFileSync(indexTs, `${shippedIndex}\nexport const broken: number = "not a number";\n`);
        const up = await project.pulumi(["up", "--yes", "--stack", "dev", "--skip-preview"]);
        expect(up.code).not.toBe(0);
        expect(up.output).toContain("The stack program does not compile (tsc -p tsconfig.build.json)");
        expect(up.output).toMatch(
            /index\.ts\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/,
        );
        const state = JSON.parse((await project.must(["stack", "export", "--stack", "dev"])).stdout);
        const deployed = (state.deployment.resources ?? []).map((resource: any) => resource.type);
        expect(deployed.filter((type: string) => type !== "pulumi:pulumi:Stack")).toEqual([]);
    });

    it("names the escape hatch for stack traces when the program throws while declaring resources", async () => {
        writeFileSync(indexTs, `${shippedIndex}\n(null as unknown as { size: number }).size;\n`);
        const preview = await project.pulumi(["preview", "--stack", "dev"]);
        expect(preview.code).not.toBe(0);
        expect(preview.output).toContain("TypeError: Cannot read properties of null (reading 'size')");
        expect(preview.output).toContain("run again with WEBPLATFORM_STACK_TRACES=full to see where this was thrown");
        project.env.WEBPLATFORM_STACK_TRACES = "full";
        const traced = await project.pulumi(["preview", "--stack", "dev"]);
        delete project.env.WEBPLATFORM_STACK_TRACES;
        expect(traced.output).toMatch(
            /TypeError: Cannot read properties of null \(reading 'size'\)\s+at .*bin\/index\.js:\d+/,
        );
    });
});

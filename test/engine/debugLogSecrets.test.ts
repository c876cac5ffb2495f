import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { programProject } from "./programProject";
import { REPO_ROOT } from "./pulumiCli";

/**
 * `pulumi up --json` prints the SDK's debug lines, and the SDK logs each registration's response with its secret
 * values in plain text. A program that calls withholdSecretsFromDebugLogs (the stack program does, first thing)
 * prints none of them; the same program without the call is the control that shows the leak is real.
 */
const program = (withhold: boolean) => `import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { withholdSecretsFromDebugLogs } from ${JSON.stringify(join(REPO_ROOT, "components/secretDebugLogs"))};
if (${withhold}) {
    withholdSecretsFromDebugLogs();
}
const password = new random.RandomPassword("wpdbg-password", { length: 32, special: false });
// A second resource that takes the secret as an input, as a container takes DATABASE_URL.
new random.RandomPet("wpdbg-pet", { keepers: { url: pulumi.interpolate\`postgresql://app:\${password.result}@db:5432/app\` } });
export const secret = password.result;
`;

async function upJson(withhold: boolean): Promise<{ output: string; secret: string }> {
    const project = programProject(withhold ? "debug-withheld" : "debug-control", "wpdbg", program(withhold));
    try {
        await project.must(["stack", "init", "test"]);
        const up = await project.pulumi(["up", "--yes", "--json", "--stack", "test"]);
        expect(up.code, up.output).toBe(0);
        const secret = (await project.must(["stack", "output", "secret", "--show-secrets", "--stack", "test"])).stdout;
        return { output: up.output, secret: secret.trim() };
    } finally {
        await project.pulumi(["destroy", "--yes", "--stack", "test"]);
        project.remove();
    }
}

describe("pulumi up --json and the SDK's debug lines", () => {
    let control: { output: string; secret: string };
    let withheld: { output: string; secret: string };
    beforeAll(async () => {
        [control, withheld] = [await upJson(false), await upJson(true)];
    });

    it("leak the generated secret without the guard (the control)", () => {
        expect(control.secret).toMatch(/^[A-Za-z0-9]{32}$/);
        expect(control.output).toContain(control.secret);
    });

    it("hold no generated secret once the program withholds secret payloads", () => {
        expect(withheld.secret).toMatch(/^[A-Za-z0-9]{32}$/);
        expect(withheld.output).not.toContain(withheld.secret);
        expect(withheld.output).toContain("RegisterResource RPC finished");
        expect(withheld.output).toContain("payload withheld by webplatform");
    });
});

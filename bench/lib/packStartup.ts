/**
 * Why the policy pack costs what it costs: the engine starts the pack (RunPlugin) and waits until it listens
 * before it runs the program, so the pack's start-up adds to every preview in full. Measured here on its own, in
 * interleaved rounds: the pack started the way the language host starts it (node + @pulumi/pulumi's
 * run-policy-pack) until it prints its port, against a bare `node` and a `node` that only loads @pulumi/pulumi.
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { Measured, measure } from "./proc";
import { interleave } from "./rounds";
import { POLICY_PACK_BUILD, REPO_ROOT } from "./settings";

/** The compile cache the toolchain's language host turns on for the pack (toolchain/pulumi-language-nodejs-front). */
const COMPILE_CACHE = join(homedir(), ".cache", "pulumi-language-nodejs", "compile-cache");

export const PACK_STARTUP_VARIANTS = {
    pack: "policy pack start-up (run-policy-pack until it listens)",
    sdk: "node loading @pulumi/pulumi only",
    bare: "bare node start",
} as const;

export async function measurePackStartup(): Promise<Map<string, Measured[]>> {
    const dir = mkdtempSync(join(tmpdir(), "wpbench-pack-"));
    try {
        const pack = join(dir, "policies");
        cpSync(join(REPO_ROOT, "policies"), pack, {
            recursive: true,
            filter: (source) => !source.startsWith(join(REPO_ROOT, "policies", "bin")),
        });
        cpSync(POLICY_PACK_BUILD, join(pack, "bin"), { recursive: true });
        symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"));
        const runPolicyPack = join(REPO_ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
        // The pack prints its port once its gRPC server listens: that is when the engine can go on.
        const driver = join(dir, "start-pack.js");
        writeFileSync(
            driver,
            [
                "process.stdout.write = () => process.exit(0);",
                `process.argv = [process.argv[0], "run-policy-pack", "127.0.0.1:1", ${JSON.stringify(pack)}];`,
                `require(${JSON.stringify(runPolicyPack)});`,
            ].join("\n"),
        );
        const env = { ...process.env, NODE_COMPILE_CACHE: COMPILE_CACHE };
        const node = (args: string[]) => measure("node", args, { cwd: pack, env, sampleMemory: false });
        const { results } = await interleave("policy pack start-up", [
            { name: PACK_STARTUP_VARIANTS.pack, run: () => node([driver]) },
            { name: PACK_STARTUP_VARIANTS.sdk, run: () => node(["-e", 'require("@pulumi/pulumi")']) },
            { name: PACK_STARTUP_VARIANTS.bare, run: () => node(["-e", "0"]) },
        ]);
        for (const [name, runs] of results) {
            const failed = runs.find((result) => result.code !== 0);
            if (failed) {
                throw new Error(`${name} exited ${failed.code}:\n${failed.stdout}\n${failed.stderr}`);
            }
        }
        return results;
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

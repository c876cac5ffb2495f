/**
 * Why the policy pack costs what it costs: the engine starts the pack (RunPlugin) and waits until it listens
 * before it runs the program, so the pack's start-up adds to every preview in full. Measured here on its own, in
 * interleaved rounds, until the pack prints its port: the pack as the toolchain's language host starts it (node
 * runs the bundle, bin/pack.js, directly), the same bundle under @pulumi/pulumi's run-policy-pack (as stock hosts
 * start it), the unbundled tsc output under run-policy-pack (how the pack started before it was bundled), against
 * a bare `node` and a `node` that only loads @pulumi/pulumi.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { Measured, measure } from "./proc";
import { interleave } from "./rounds";
import { POLICY_PACK_BUILD, REPO_ROOT } from "./settings";

/** The compile cache the toolchain's language host turns on for the pack (toolchain/pulumi-language-nodejs-front). */
const COMPILE_CACHE = join(homedir(), ".cache", "pulumi-language-nodejs", "compile-cache");

export const PACK_STARTUP_VARIANTS = {
    pack: "policy pack start-up as the language host starts it (node bin/pack.js, bundled)",
    bundleUnderRunner: "policy pack start-up, the bundle under run-policy-pack (stock hosts)",
    unbundled: "policy pack start-up, unbundled tsc output under run-policy-pack (before)",
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
        // The same pack with package.json `main` at the unbundled tsc output, as it shipped before the bundle.
        const unbundledPack = join(dir, "policies-unbundled");
        cpSync(pack, unbundledPack, { recursive: true });
        const manifest = join(unbundledPack, "package.json");
        writeFileSync(
            manifest,
            JSON.stringify({ ...JSON.parse(readFileSync(manifest, "utf8")), main: "bin/policies/index.js" }),
        );
        symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"));
        const runPolicyPack = join(REPO_ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
        // The pack prints its port once its gRPC server listens: that is when the engine can go on.
        const driver = (name: string, entry: string, args: string[]) => {
            const file = join(dir, `${name}.js`);
            writeFileSync(
                file,
                [
                    "process.stdout.write = () => process.exit(0);",
                    `process.argv = [process.argv[0], ${JSON.stringify(entry)}, ...${JSON.stringify(args)}];`,
                    `require(${JSON.stringify(entry)});`,
                ].join("\n"),
            );
            return file;
        };
        const underRunner = driver("under-runner", runPolicyPack, ["127.0.0.1:1", pack]);
        const unbundled = driver("unbundled", runPolicyPack, ["127.0.0.1:1", unbundledPack]);
        const direct = driver("direct", join(pack, "bin", "pack.js"), ["127.0.0.1:1"]);
        const env = { ...process.env, NODE_COMPILE_CACHE: COMPILE_CACHE };
        const node = (cwd: string, args: string[]) => measure("node", args, { cwd, env, sampleMemory: false });
        const { results } = await interleave("policy pack start-up", [
            { name: PACK_STARTUP_VARIANTS.pack, run: () => node(pack, ["--enable-source-maps", direct]) },
            { name: PACK_STARTUP_VARIANTS.bundleUnderRunner, run: () => node(pack, [underRunner]) },
            { name: PACK_STARTUP_VARIANTS.unbundled, run: () => node(unbundledPack, [unbundled]) },
            { name: PACK_STARTUP_VARIANTS.sdk, run: () => node(pack, ["-e", 'require("@pulumi/pulumi")']) },
            { name: PACK_STARTUP_VARIANTS.bare, run: () => node(pack, ["-e", "0"]) },
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

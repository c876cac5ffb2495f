/*
 * Bundles the policy pack into one minified file, bin/pack.js (policies/package.json `main`), so that starting it
 * loads only the code the pack runs. The engine waits for the pack to listen before it runs the program, so its
 * start-up is paid in full on every preview; unbundled, most of it is Node resolving and compiling the whole
 * @pulumi/pulumi SDK (automation API, arborist and more) that @pulumi/policy pulls in through one import.
 *
 * Usage: node scripts/bundle-policy-pack.mjs [out-dir]   (default: policies/bin)
 * Type-checking stays with `tsc -p policies/tsconfig.json`; esbuild only strips types.
 */
import { build } from "esbuild";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = resolve(process.argv[2] ?? join(repoRoot, "policies", "bin"));

/**
 * @pulumi/policy imports the SDK's index only for `asset` and `Output` (deserialize.js); its other SDK imports
 * are already deep paths (proto/*, runtime/rpc). Resolving that one import to the two modules it uses keeps the
 * automation API and the rest of the SDK out of the bundle. Only @pulumi/policy's own import is narrowed: any other
 * module that imports the SDK's index gets all of it.
 */
const sdkIndexAsUsedByPolicy = {
    name: "sdk-index-as-used-by-policy",
    setup(bundler) {
        bundler.onResolve({ filter: /^@pulumi\/pulumi$/ }, (args) =>
            /[\\/]node_modules[\\/]@pulumi[\\/]policy[\\/]/.test(args.importer)
                ? {
                      path: "@pulumi/pulumi (asset, Output)",
                      namespace: "sdk-index",
                      pluginData: { resolveDir: args.resolveDir },
                  }
                : undefined,
        );
        bundler.onLoad({ filter: /.*/, namespace: "sdk-index" }, (args) => ({
            contents: [
                'exports.asset = require("@pulumi/pulumi/asset");',
                'exports.Output = require("@pulumi/pulumi/output").Output;',
            ].join("\n"),
            loader: "js",
            resolveDir: args.pluginData.resolveDir,
        }));
    },
};

await build({
    entryPoints: [join(repoRoot, "policies", "index.ts")],
    outfile: join(outDir, "pack.js"),
    bundle: true,
    minify: true,
    sourcemap: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    plugins: [sdkIndexAsUsedByPolicy],
    logLevel: "warning",
});

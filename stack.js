/*
 * The program `pulumi` runs (Pulumi.yaml `main`): index.ts compiled by tsc into bin/, so a preview does not
 * type-check the whole program on every run. When any source changed since the last build, or there is no build,
 * it rebuilds first (type-checked, once per change) and stops with tsc's errors if the program does not compile,
 * so a stale or broken build is never deployed. `node stack.js build` (npm run build:program) builds ahead of time.
 */
"use strict";
const { createHash } = require("node:crypto");
const { spawnSync } = require("node:child_process");
const { existsSync, readdirSync, readFileSync, writeFileSync } = require("node:fs");
const { join, relative } = require("node:path");

const BUILD_CONFIG = join(__dirname, "tsconfig.build.json");
const BUILD_DIR = join(__dirname, "bin");
/** The hash of the sources bin/ was built from. */
const STAMP = join(BUILD_DIR, ".source-hash");
/** What tsconfig.build.json compiles, and the compiler settings it uses. */
const SOURCES = [
    "index.ts",
    "components",
    "config",
    "rules",
    "tsconfig.json",
    "tsconfig.build.json",
    "package-lock.json",
];

function sourceFiles(path) {
    if (!existsSync(path)) {
        return [];
    }
    if (!path.endsWith(".ts") && !path.endsWith(".json")) {
        return readdirSync(path, { withFileTypes: true })
            .filter((entry) => entry.isDirectory() || entry.name.endsWith(".ts"))
            .flatMap((entry) => sourceFiles(join(path, entry.name)));
    }
    return [path];
}

function sourceHash() {
    const hash = createHash("sha256");
    const files = SOURCES.flatMap((source) => sourceFiles(join(__dirname, source))).sort();
    for (const file of files) {
        hash.update(`${relative(__dirname, file)}\0`)
            .update(readFileSync(file))
            .update("\0");
    }
    return hash.digest("hex");
}

function build(hash) {
    const tsc = require.resolve("typescript/bin/tsc", { paths: [__dirname] });
    const result = spawnSync(process.execPath, [tsc, "-p", BUILD_CONFIG], { cwd: __dirname, encoding: "utf8" });
    if (result.status !== 0) {
        throw new Error(
            `The stack program does not compile (tsc -p tsconfig.build.json); nothing was deployed. ` +
                `Fix these errors and run the command again:\n${result.stdout}${result.stderr}`,
        );
    }
    writeFileSync(STAMP, `${hash}\n`);
}

function buildIfStale() {
    const hash = sourceHash();
    const built = existsSync(STAMP) ? readFileSync(STAMP, "utf8").trim() : "";
    if (built !== hash) {
        build(hash);
    }
}

if (require.main === module) {
    if (process.argv[2] !== "build") {
        console.error("usage: node stack.js build");
        process.exit(2);
    }
    buildIfStale();
} else {
    buildIfStale();
    // The language host here registers ts-node even for a JavaScript entry, and with it a source-map hook on every
    // stack trace. The SDK records a stack trace for each promise it creates, so the hook cost ~25 ms per resource
    // at preview; bin/ carries no source maps for it to apply, so Node's own formatting is restored.
    if (Error.prepareStackTrace !== undefined) {
        delete Error.prepareStackTrace;
    }
    // The SDK also records a stack trace for every promise (it shows them only with PULUMI_DEBUG_PROMISE_LEAKS):
    // four per output property of every resource. Not recording them while the program declares its resources
    // halves the program's CPU time at 1,000 containers. Errors from then on (apply callbacks, the engine's
    // answers) keep their traces; WEBPLATFORM_STACK_TRACES=full keeps them throughout.
    const fullTraces =
        process.env.WEBPLATFORM_STACK_TRACES === "full" || Boolean(process.env.PULUMI_DEBUG_PROMISE_LEAKS);
    const stackTraceLimit = Error.stackTraceLimit;
    if (!fullTraces) {
        Error.stackTraceLimit = 0;
    }
    try {
        module.exports = require("./bin/index.js");
    } catch (error) {
        // Config and policy errors (RunError) explain themselves; anything else is a bug that needs its trace.
        if (!fullTraces && error instanceof Error && !error.__pulumiRunError) {
            error.message +=
                " (stack traces are off while the program declares its resources; " +
                "run again with WEBPLATFORM_STACK_TRACES=full to see where this was thrown)";
            error.stack = `${error.name}: ${error.message}`;
        }
        throw error;
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
    }
}

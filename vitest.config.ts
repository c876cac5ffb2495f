import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Unit-test workers. Vitest's default (one fewer than the cores) is a single worker on a two-core machine.
const unitWorkers = Math.max(2, availableParallelism() - 1);

/**
 * Engine test files that deploy no container, publish no port and leave nothing on the Docker engine: previews,
 * refused deploys, throwaway `docker run --rm` checks. scripts/test.sh runs them as a second lane beside the
 * deploying files, whose time is mostly spent waiting on healthchecks. A new engine file deploys until listed here.
 */
const PREVIEW_ONLY_ENGINE_FILES = [
    "test/engine/compiledProgram.test.ts",
    "test/engine/corpus.test.ts",
    "test/engine/debugLogSecrets.test.ts",
    "test/engine/exampleStacks.test.ts",
    "test/engine/hostsOrigins.test.ts",
    "test/engine/nginxConfig.test.ts",
    "test/engine/package.test.ts",
    "test/engine/policyPack.test.ts",
    "test/engine/toolchain.test.ts",
];

/** Engine tests drive the real CLI against shared Docker state: one file at a time within a project. */
function engineProject(name: string, files: { include: string[]; exclude?: string[] }) {
    return {
        test: {
            name,
            ...files,
            environment: "node",
            pool: "forks" as const,
            poolOptions: { forks: { singleFork: true } },
            testTimeout: 15 * 60 * 1000,
            hookTimeout: 15 * 60 * 1000,
        },
    };
}

export default defineConfig({
    test: {
        // Only the unit project runs in the threads pool, so these options are the unit project's.
        poolOptions: {
            threads: {
                // Test files in one worker share loaded modules: @pulumi/pulumi and the providers take about a
                // second to load, and loading them again for every file was most of the suite's time. The mocks
                // (test/mocks.ts) are installed once per worker and every test resets what they recorded.
                isolate: false,
                minThreads: unitWorkers,
                maxThreads: unitWorkers,
                // Node's on-disk compile cache (in the OS temp directory) spares each worker compiling the SDK again.
                execArgv: ["--import", 'data:text/javascript,import m from "node:module"; m.enableCompileCache?.();'],
            },
        },
        projects: [
            {
                test: {
                    name: "unit",
                    include: ["test/unit/**/*.test.ts", "policies/test/**/*.test.ts"],
                    environment: "node",
                    pool: "threads",
                    isolate: false,
                },
            },
            engineProject("engine", { include: ["test/engine/**/*.test.ts"], exclude: PREVIEW_ONLY_ENGINE_FILES }),
            engineProject("engine-preview", { include: PREVIEW_ONLY_ENGINE_FILES }),
        ],
    },
});

import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        projects: [
            {
                test: {
                    name: "unit",
                    include: ["test/unit/**/*.test.ts", "policies/test/**/*.test.ts"],
                    environment: "node",
                },
            },
            {
                test: {
                    name: "engine",
                    include: ["test/engine/**/*.test.ts"],
                    environment: "node",
                    // Engine tests drive the real CLI against shared Docker state: one file at a time.
                    pool: "forks",
                    poolOptions: { forks: { singleFork: true } },
                    testTimeout: 15 * 60 * 1000,
                    hookTimeout: 15 * 60 * 1000,
                },
            },
        ],
    },
});

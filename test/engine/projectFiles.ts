/**
 * What a throwaway copy of the project needs to run `pulumi` (node_modules is linked, not copied). bin/ (the
 * compiled program, made by setup) is copied when present; stack.js rebuilds it in the copy if it is missing or
 * stale. The engine tests and the benchmarks make their copies from this list.
 */
export const PROJECT_FILES: readonly string[] = [
    "Pulumi.yaml",
    "package.json",
    "package-lock.json",
    "tsconfig.json",
    "tsconfig.build.json",
    "stack.js",
    "index.ts",
    "components",
    "rules",
    "config",
    "policies",
    "bin",
];

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PulumiProject } from "./pulumiCli";

/**
 * A throwaway Pulumi project whose program is `source` (TypeScript, compiled by the language host), named
 * `name`, with its own file backend. Engine tests that need a program of their own (not the stack program)
 * make it with this.
 */
export function programProject(label: string, name: string, source: string): PulumiProject {
    const directory = mkdtempSync(join(tmpdir(), `${name}-src-`));
    writeFileSync(
        join(directory, "Pulumi.yaml"),
        `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`,
    );
    writeFileSync(join(directory, "package.json"), JSON.stringify({ name, private: true, main: "index.ts" }));
    writeFileSync(
        join(directory, "tsconfig.json"),
        JSON.stringify({
            compilerOptions: {
                strict: true,
                target: "ES2022",
                module: "commonjs",
                moduleResolution: "node",
                esModuleInterop: true,
                skipLibCheck: true,
                types: ["node"],
            },
            files: ["index.ts"],
        }),
    );
    writeFileSync(join(directory, "index.ts"), source);
    const project = new PulumiProject(label, {
        from: directory,
        files: ["Pulumi.yaml", "package.json", "tsconfig.json", "index.ts"],
    });
    rmSync(directory, { recursive: true, force: true });
    return project;
}

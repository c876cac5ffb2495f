import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "./pulumiCli";

/**
 * The pack alone, as a user gets it: policies/ and the pure rules/ it imports, compiled in a directory that holds
 * neither components/ nor config/, so every test that runs it also proves the pack needs nothing from the library.
 * Returns the pack's directory.
 */
export function packWithoutLibrary(): string {
    const root = mkdtempSync(join(tmpdir(), "wp-pack-only-"));
    for (const directory of ["policies", "rules"]) {
        cpSync(join(REPO_ROOT, directory), join(root, directory), {
            recursive: true,
            filter: (source) => !source.includes(`${directory}/bin`),
        });
    }
    symlinkSync(join(REPO_ROOT, "node_modules"), join(root, "node_modules"));
    const tsc = spawnSync(join(REPO_ROOT, "node_modules/.bin/tsc"), ["-p", join(root, "policies/tsconfig.json")], {
        encoding: "utf8",
    });
    if (tsc.status !== 0) {
        throw new Error(`the pack does not compile without the library:\n${tsc.stdout}${tsc.stderr}`);
    }
    return join(root, "policies");
}

/** The CLI options that run `pack` with the config of `environment` (production: every guard mandatory). */
export function packOptions(pack: string, environment: "production" | "development"): string[] {
    return ["--policy-pack", pack, "--policy-pack-config", join(pack, `config/${environment}.json`)];
}

/**
 * Drives the real `pulumi` CLI against a throwaway copy of this project and a throwaway file backend, with
 * passphrase secrets and automatic plugin downloads disabled, so a missing plugin fails instead of downloading.
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PROJECT_FILES } from "./projectFiles";

export const REPO_ROOT = resolve(__dirname, "../..");
const CACHE = process.env.WEBPLATFORM_CACHE ?? join(process.env.HOME ?? "/root", ".cache/webplatform");
/** Passphrase of the throwaway stacks; real stacks use their own. */
export const TEST_PASSPHRASE = "engine-test-passphrase";

export interface CliResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
    /** stdout and stderr together, for assertions about what a user would see. */
    readonly output: string;
}

export class PulumiProject {
    readonly dir: string;
    readonly backendDir: string;
    readonly env: NodeJS.ProcessEnv;

    /**
     * Copies the project (or the directory `source`) into a fresh temp dir with its own file backend, and links
     * the repository's node_modules into it unless `linkNodeModules` is false (the caller then installs its own).
     */
    constructor(label: string, source: { files?: string[]; from?: string; linkNodeModules?: boolean } = {}) {
        this.dir = mkdtempSync(join(tmpdir(), `wp-${label}-`));
        this.backendDir = join(this.dir, ".state");
        mkdirSync(this.backendDir);
        const from = source.from ?? REPO_ROOT;
        for (const file of source.files ?? PROJECT_FILES.filter((file) => existsSync(join(from, file)))) {
            cpSync(join(from, file), join(this.dir, file), { recursive: true });
        }
        if (source.linkNodeModules ?? true) {
            symlinkSync(join(REPO_ROOT, "node_modules"), join(this.dir, "node_modules"));
        }
        this.env = {
            ...process.env,
            PATH: [join(CACHE, "bin"), join(CACHE, "node", "bin"), process.env.PATH].join(":"),
            PULUMI_HOME: join(CACHE, "pulumi-home"),
            PULUMI_BACKEND_URL: `file://${this.backendDir}`,
            PULUMI_CONFIG_PASSPHRASE: TEST_PASSPHRASE,
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_SKIP_CONFIRMATIONS: "true",
            PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
            NO_COLOR: "1",
        };
    }

    /**
     * Runs `pulumi <args>` in the project copy and returns what it printed, never throwing on failure. It runs
     * asynchronously so the test worker stays responsive during a long `up`.
     */
    pulumi(args: string[], input?: string): Promise<CliResult> {
        return this.start(args, input).result;
    }

    /** Starts `pulumi <args>` and returns its process (to interrupt it) and what it will have printed. */
    start(args: string[], input?: string): { pid: number; result: Promise<CliResult> } {
        return this.run("pulumi", [...args, "--non-interactive"], input);
    }

    /** Runs any command in the project copy with the project's environment (e.g. one of the repo's scripts). */
    run(command: string, args: string[], input?: string): { pid: number; result: Promise<CliResult> } {
        const child = spawn(command, args, { cwd: this.dir, env: this.env });
        const result = new Promise<CliResult>((resolve, reject) => {
            let stdout = "";
            let stderr = "";
            child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
            child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
            child.on("error", reject);
            child.on("close", (code, signal) =>
                resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr, output: `${stdout}\n${stderr}` }),
            );
            child.stdin.end(input);
        });
        return { pid: child.pid ?? -1, result };
    }

    /** Like `pulumi`, but throws with the output when the command fails. */
    async must(args: string[], input?: string): Promise<CliResult> {
        const result = await this.pulumi(args, input);
        if (result.code !== 0) {
            throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.output}`);
        }
        return result;
    }

    /** Creates a stack whose config starts as a copy of `configFile` (relative to the repo), if given. */
    async initStack(stack: string, configFile?: string): Promise<void> {
        if (configFile) {
            // A salt in the file belongs to someone else's passphrase; the throwaway stack makes its own.
            const text = readFileSync(join(REPO_ROOT, configFile), "utf8").replace(/^encryptionsalt:.*\n/m, "");
            writeFileSync(join(this.dir, `Pulumi.${stack}.yaml`), text);
        }
        await this.must(["stack", "init", stack]);
    }

    async setConfig(key: string, value: string, options: { secret?: boolean; path?: boolean } = {}): Promise<void> {
        const args = ["config", "set", key];
        if (options.secret) args.push("--secret");
        if (options.path) args.push("--path");
        // The value goes through stdin so no secret appears in a process list.
        await this.must(args, value);
    }

    /** Replaces a list-valued config entry (the CLI sets lists element by element with --path). */
    async setConfigList(path: string, values: readonly string[]): Promise<void> {
        await this.pulumi(["config", "rm", "--path", path]);
        for (const [index, value] of values.entries()) {
            await this.setConfig(`${path}[${index}]`, value, { path: true });
        }
    }

    /** The stack's state file as text, exactly as the file backend stored it. */
    stateFileText(stack: string, project = "webplatform"): string {
        return readFileSync(join(this.backendDir, ".pulumi", "stacks", project, `${stack}.json`), "utf8");
    }

    remove(): void {
        rmSync(this.dir, { recursive: true, force: true });
    }
}

/** `pulumi version` of the CLI on PATH, as the tests use it. */
export function pulumiVersion(): string {
    const project = spawnSync("pulumi", ["version"], {
        encoding: "utf8",
        env: { ...process.env, PATH: [join(CACHE, "bin"), process.env.PATH].join(":") },
    });
    return project.stdout.trim();
}

/**
 * A throwaway copy of the project with its own file backend, driven through the real `pulumi` CLI, like
 * test/engine/pulumiCli.ts but asynchronous and measured (wall time, peak memory of the process tree).
 */
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Measured, measure, run } from "./proc";
import { PROJECT_FILES } from "../../test/engine/projectFiles";
import { CACHE, POLICY_PACK_BUILD, REPO_ROOT } from "./settings";

const PASSPHRASE = "bench-passphrase";

/** Runtime name of the bench's policy-pack shim (see usePolicyShim). */
const SHIM_RUNTIME = "wpbench-nodejs";

export type PolicyConfig = "production" | "development";

export class BenchProject {
    readonly dir: string;
    readonly env: NodeJS.ProcessEnv;
    readonly stack: string;

    /** Copies the project into a fresh temp dir and creates `stack` with `configFile` (relative to the repo). */
    constructor(label: string, stack: string, configFile: string) {
        this.dir = mkdtempSync(join(tmpdir(), `wpbench-${label}-`));
        this.stack = stack;
        // The policy pack is copied below, with the bin bench.sh compiled.
        for (const file of PROJECT_FILES.filter((file) => file !== "policies")) {
            cpSync(join(REPO_ROOT, file), join(this.dir, file), { recursive: true });
        }
        // The policy pack's sources and its freshly compiled bin (bench.sh compiles it; the repo's bin may be stale).
        cpSync(join(REPO_ROOT, "policies"), join(this.dir, "policies"), {
            recursive: true,
            filter: (source) => !source.startsWith(join(REPO_ROOT, "policies", "bin")),
        });
        cpSync(POLICY_PACK_BUILD, join(this.dir, "policies", "bin"), { recursive: true });
        symlinkSync(join(REPO_ROOT, "node_modules"), join(this.dir, "node_modules"));
        mkdirSync(join(this.dir, ".state"));
        this.env = {
            ...process.env,
            PATH: [join(CACHE, "bin"), join(CACHE, "node", "bin"), process.env.PATH].join(":"),
            PULUMI_HOME: join(CACHE, "pulumi-home"),
            PULUMI_BACKEND_URL: `file://${join(this.dir, ".state")}`,
            PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_SKIP_CONFIRMATIONS: "true",
            // ts-node (which runs index.ts) keeps its compile cache here instead of a shared /tmp/ts-node-<hash>.
            TS_NODE_CACHE_DIRECTORY: join(this.dir, ".ts-node-cache"),
            NO_COLOR: "1",
        };
        writeFileSync(join(this.dir, `Pulumi.${stack}.yaml`), readFileSync(join(REPO_ROOT, configFile)));
        this.must(["stack", "init", stack]);
    }

    /** `pulumi <args> --stack <stack> --non-interactive`, measured; never throws for a failing command. */
    pulumi(
        args: readonly string[],
        options: { env?: NodeJS.ProcessEnv; timeoutSeconds?: number } = {},
    ): Promise<Measured> {
        return measure("pulumi", [...args, "--stack", this.stack, "--non-interactive"], {
            cwd: this.dir,
            env: { ...this.env, ...options.env },
            timeoutSeconds: options.timeoutSeconds,
        });
    }

    /** A setup command: `pulumi <args>`, throwing with its output when it fails. */
    must(args: readonly string[], input?: string): string {
        return run("pulumi", [...args, "--non-interactive"], { cwd: this.dir, env: this.env, input });
    }

    setConfig(key: string, value: string, options: { secret?: boolean; path?: boolean } = {}): void {
        const args = ["config", "set", key, "--stack", this.stack];
        if (options.secret) args.push("--secret");
        if (options.path) args.push("--path");
        // Through stdin, so no secret appears in a process list.
        this.must(args, value);
    }

    /** A throwaway certificate and key, set like a real production stack sets them (README). */
    setCertificate(host: string): void {
        const { certificate, key } = testCertificate(host);
        this.setConfig("nginx.certificatePem", certificate, { path: true });
        this.setConfig("webplatform:tlsPrivateKey", key, { secret: true });
    }

    /** The CLI flags that attach the policy pack with one of its config files. */
    policyFlags(config: PolicyConfig): string[] {
        return ["--policy-pack", "policies", "--policy-pack-config", `policies/config/${config}.json`];
    }

    /**
     * Attaches the pack the way the CLI runs a Node.js policy pack when no language host can (its pre-RunPlugin
     * path): PulumiPolicy.yaml names a runtime with no language plugin, so the CLI starts
     * `pulumi-analyzer-policy-<runtime>`, which runs @pulumi/pulumi's run-policy-pack on the compiled pack. Needed
     * while the toolchain's pulumi-language-nodejs (sdk v3.68.0) answers RunPlugin with "not supported".
     */
    usePolicyShim(): void {
        const bin = join(this.dir, ".shim-bin");
        mkdirSync(bin, { recursive: true });
        const shim = join(bin, `pulumi-analyzer-policy-${SHIM_RUNTIME}`);
        const runPolicyPack = join(REPO_ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
        writeFileSync(
            shim,
            `#!/bin/sh\n# Started by the CLI in the pack's directory with: <engine address> .\nexec node ${runPolicyPack} "$@"\n`,
        );
        chmodSync(shim, 0o755);
        const manifest = join(this.dir, "policies", "PulumiPolicy.yaml");
        writeFileSync(manifest, readFileSync(manifest, "utf8").replace(/^runtime:.*$/m, `runtime: ${SHIM_RUNTIME}`));
        this.env.PATH = `${bin}:${this.env.PATH}`;
    }

    /** Exported state with secrets in plain text (only ever of throwaway stacks). */
    exportState(): unknown {
        return JSON.parse(this.must(["stack", "export", "--stack", this.stack, "--show-secrets"]));
    }

    remove(): void {
        rmSync(this.dir, { recursive: true, force: true });
    }
}

let certificateCache: { certificate: string; key: string } | undefined;

function testCertificate(host: string): { certificate: string; key: string } {
    if (!certificateCache) {
        const dir = mkdtempSync(join(tmpdir(), "wpbench-cert-"));
        execFileSync(
            "openssl",
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", `/CN=${host}`].concat([
                "-keyout",
                join(dir, "key.pem"),
                "-out",
                join(dir, "cert.pem"),
            ]),
            { stdio: "ignore" },
        );
        certificateCache = {
            certificate: readFileSync(join(dir, "cert.pem"), "utf8"),
            key: readFileSync(join(dir, "key.pem"), "utf8"),
        };
        rmSync(dir, { recursive: true, force: true });
    }
    return certificateCache;
}

/** The number of resources a preview plans, from its "+ N to create" summary line. */
export function plannedCreates(output: string): number | undefined {
    const match = /\+ (\d+) to create/.exec(output);
    return match ? Number(match[1]) : undefined;
}

/** Why the pack could not run, if the CLI said so. */
export function policyPackStartFailure(output: string): string | undefined {
    const match = /error: policy pack .* failed to start: (.*)/.exec(output);
    return match ? match[1].trim() : undefined;
}

// Slightly over ~300 lines: packing, type-checking and previewing share one packed tarball.
import { spawnSync } from "node:child_process";
import {
    existsSync,
    mkdirSync,
    mkdtempSync,
    readFileSync,
    readdirSync,
    rmSync,
    symlinkSync,
    writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PulumiProject, REPO_ROOT } from "./pulumiCli";

/**
 * The library consumed as a package: `npm pack` of this repository (its prepack script compiles the library with
 * tsconfig.package.json), then a user's own Pulumi program in another directory that installs the tarball and
 * declares a development Platform, previewed under the real CLI, language host and providers. The tarball's
 * dependencies are linked from this repository's node_modules, so the install needs no network.
 */
const NAME = "shop";

/** What a user writes: plain JavaScript, the package's entry point and nothing else from this repository. */
const PROGRAM = `"use strict";
const { Platform } = require("webplatform");

const platform = new Platform("${NAME}", {
    environment: "development",
    domain: "localhost",
    postgres: { image: { reference: "webplatform/postgres:15" } },
    redis: { image: { reference: "webplatform/redis:7" } },
    backend: {
        image: { reference: "webplatform/sample-app:1.0.0" },
        command: ["sample-app", "web"],
        migrationCommand: ["sample-app", "migrate"],
        healthPath: "/health",
        env: { DEBUG: "False", ALLOWED_HOSTS: "localhost" },
        redisUrlVariables: { REDIS_URL: "cache", BROKER_URL: "broker" },
        staticDirectory: "/var/lib/app/static",
    },
    workers: {
        worker: { command: ["sample-app", "worker"], healthcheckCommand: ["sample-app", "healthcheck", "worker"] },
    },
    nginx: {
        image: { reference: "webplatform/nginx:1.22" },
        publishAddress: "127.0.0.1",
        httpPort: 8080,
        httpsPort: 8443,
        routes: [
            { path: "/api/", service: "backend" },
            { path: "/", service: "backend" },
        ],
    },
});

exports.url = platform.url;
exports.containers = platform.summary.containers;
`;

/** A TypeScript program using the package's entry point, type-checked against its declarations. */
const TYPED_PROGRAM = `import { Platform, PlatformArgs } from "webplatform";

const args: PlatformArgs = {
    environment: "development",
    domain: "localhost",
    backend: { image: { reference: "webplatform/sample-app:1.0.0" }, migrationCommand: ["sample-app", "migrate"] },
};
export const url: string = new Platform("${NAME}", args).url;
`;

/** Modules below the entry point, reached through the package's `./*` export (node16 resolution and later). */
const TYPED_SUBPATH_PROGRAM = `import { parseStackConfig } from "webplatform/config/stackConfig";

export const platformArgs = parseStackConfig({}, { stack: "dev", secretKeys: [] }, (value: string) => value);
`;

/** And a deliberate mistake in the same program, which the declarations must catch. */
const MISTYPED_PROGRAM = TYPED_PROGRAM.replace('"development"', '"develop"');

/** Every resource the Platform declares in development with the settings above, as [type token, name], sorted. */
const EXPECTED_CHILDREN: readonly (readonly [string, string])[] = [
    ["command:local:Command", `${NAME}-backend-migrate-run`],
    ["command:local:Command", `${NAME}-backend-web-1-healthy`],
    ["command:local:Command", `${NAME}-certificate-openssl`],
    ["command:local:Command", `${NAME}-nginx-tls-key-write-run`],
    ["command:local:Command", `${NAME}-postgres-password-sync`],
    ["command:local:Command", `${NAME}-smoke-check-run`],
    ["command:local:Command", `${NAME}-worker-1-healthy`],
    ["docker:index/container:Container", `${NAME}-backend-web-1`],
    ["docker:index/container:Container", `${NAME}-nginx-server`],
    ["docker:index/container:Container", `${NAME}-postgres-server`],
    ["docker:index/container:Container", `${NAME}-redis-server`],
    ["docker:index/container:Container", `${NAME}-worker-1`],
    ["docker:index/network:Network", `${NAME}-edge`],
    ["docker:index/network:Network", `${NAME}-private`],
    ["docker:index/remoteImage:RemoteImage", `${NAME}-backend-image`],
    ["docker:index/remoteImage:RemoteImage", `${NAME}-nginx-image`],
    ["docker:index/remoteImage:RemoteImage", `${NAME}-postgres-image`],
    ["docker:index/remoteImage:RemoteImage", `${NAME}-redis-image`],
    ["docker:index/volume:Volume", `${NAME}-nginx-tls-key-volume`],
    ["docker:index/volume:Volume", `${NAME}-postgres-data`],
    ["docker:index/volume:Volume", `${NAME}-redis-data`],
    ["docker:index/volume:Volume", `${NAME}-static`],
    ["random:index/randomPassword:RandomPassword", `${NAME}-postgres-password`],
    ["random:index/randomPassword:RandomPassword", `${NAME}-redis-password`],
    ["random:index/randomPassword:RandomPassword", `${NAME}-secret-key`],
    ["webplatform:index:Backend", `${NAME}-backend`],
    ["webplatform:index:Nginx", `${NAME}-nginx`],
    ["webplatform:index:OneShotContainer", `${NAME}-backend-migrate`],
    ["webplatform:index:OneShotContainer", `${NAME}-nginx-tls-key-write`],
    ["webplatform:index:Postgres", `${NAME}-postgres`],
    ["webplatform:index:Redis", `${NAME}-redis`],
    ["webplatform:index:SelfSignedCertificate", `${NAME}-certificate`],
    ["webplatform:index:SmokeCheck", `${NAME}-smoke-check`],
    ["webplatform:index:TlsKeyFile", `${NAME}-nginx-tls-key`],
    ["webplatform:index:WorkerGroup", `${NAME}-worker`],
];

/** The Docker containers those resources create (the `name` input), by resource name; web replicas are auto-named. */
const EXPECTED_CONTAINERS: Readonly<Record<string, unknown>> = {
    [`${NAME}-backend-web-1`]: expect.stringMatching(new RegExp(`^${NAME}-backend-web-1-[0-9a-f]{7}$`)),
    [`${NAME}-nginx-server`]: `${NAME}-nginx`,
    [`${NAME}-postgres-server`]: `${NAME}-postgres`,
    [`${NAME}-redis-server`]: `${NAME}-redis`,
    [`${NAME}-worker-1`]: `${NAME}-worker-1`,
};

/** The images they resolve, by resource name. */
const EXPECTED_IMAGES: Readonly<Record<string, string>> = {
    [`${NAME}-backend-image`]: "webplatform/sample-app:1.0.0",
    [`${NAME}-nginx-image`]: "webplatform/nginx:1.22",
    [`${NAME}-postgres-image`]: "webplatform/postgres:15",
    [`${NAME}-redis-image`]: "webplatform/redis:7",
};

interface PreviewStep {
    readonly op: string;
    readonly urn: string;
    readonly newState?: { readonly parent?: string; readonly inputs?: Record<string, unknown> };
}

interface Run {
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs a command to completion and throws with everything it printed when it fails. */
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Run {
    const result = spawnSync(command, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    if (result.status !== 0) {
        throw new Error(
            `${command} ${args.join(" ")} (in ${cwd}) exited ${result.status ?? result.signal}:\n` +
                `${result.stdout}${result.stderr}${result.error ?? ""}`,
        );
    }
    return { stdout: result.stdout, stderr: result.stderr };
}

/** The source directories the package build compiles: the top directories of tsconfig.package.json's include. */
function packagedDirectories(): string[] {
    const config = JSON.parse(readFileSync(join(REPO_ROOT, "tsconfig.package.json"), "utf8"));
    const directories = (config.include as string[]).map((pattern) => pattern.split("/")[0]);
    return [...new Set(directories)].filter((directory) => existsSync(join(REPO_ROOT, directory)));
}

function typeScriptSources(directory: string): string[] {
    return readdirSync(join(REPO_ROOT, directory), { recursive: true, encoding: "utf8" })
        .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts") && !file.endsWith(".test.ts"))
        .map((file) => `${directory}/${file}`);
}

/** [type, name] of a URN: `urn:pulumi:<stack>::<project>::<parent types>$<type>::<name>`. */
function typeAndName(urn: string): [string, string] {
    const [, , qualifiedType, ...name] = urn.split("::");
    return [qualifiedType.split("$").pop()!, name.join("::")];
}

describe("the library as an npm package, used by someone else's Pulumi program", () => {
    const packDir = mkdtempSync(join(tmpdir(), "wp-pack-"));
    const project = new PulumiProject("package-consumer", { files: [], linkNodeModules: false });
    let packed: { filename: string; files: { path: string }[] };
    let packageJson: { dependencies: Record<string, string> };

    beforeAll(async () => {
        // `npm pack` runs the prepack script (the package build) and writes the tarball; it prints its report as
        // JSON on stdout and the scripts' banners on stderr.
        [packed] = JSON.parse(
            run("npm", ["pack", "--json", "--pack-destination", packDir], REPO_ROOT, project.env).stdout,
        );
        const tarball = join(packDir, packed.filename);
        packageJson = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));

        writeFileSync(join(project.dir, "Pulumi.yaml"), "name: shop\nmain: index.js\nruntime: nodejs\n");
        writeFileSync(
            join(project.dir, "package.json"),
            JSON.stringify({
                name: "shop-infrastructure",
                private: true,
                dependencies: {
                    "@pulumi/pulumi": packageJson.dependencies["@pulumi/pulumi"],
                    webplatform: `file:${tarball}`,
                },
            }),
        );
        writeFileSync(join(project.dir, "index.js"), PROGRAM);
        writeFileSync(join(project.dir, "typed.ts"), TYPED_PROGRAM);
        writeFileSync(join(project.dir, "typed-subpath.ts"), TYPED_SUBPATH_PROGRAM);
        writeFileSync(join(project.dir, "mistyped.ts"), MISTYPED_PROGRAM);

        // The package's dependencies come from this repository's install (they resolve their own dependencies
        // there); npm then installs the tarball itself next to them, offline.
        for (const dependency of Object.keys(packageJson.dependencies)) {
            const link = join(project.dir, "node_modules", dependency);
            mkdirSync(dirname(link), { recursive: true });
            symlinkSync(join(REPO_ROOT, "node_modules", dependency), link);
        }
        const install = run(
            "npm",
            ["install", "--offline", "--ignore-scripts", "--no-package-lock", "--no-audit", "--no-fund"],
            project.dir,
            project.env,
        );
        // Anything more than the tarball would have gone into the linked packages, that is into this repository.
        expect(install.stdout).toMatch(/\badded 1 package\b/);
        await project.initStack("dev");
    });

    afterAll(() => {
        project.remove();
        rmSync(packDir, { recursive: true, force: true });
    });

    it("packs the library compiled to JavaScript with type declarations, and no TypeScript sources", () => {
        const files = packed.files.map((file) => file.path).sort();
        const directories = packagedDirectories();
        expect(directories).toEqual(expect.arrayContaining(["components", "config"]));
        for (const source of directories.flatMap(typeScriptSources)) {
            const compiled = `dist/${source.replace(/\.ts$/, "")}`;
            expect(files).toContain(`${compiled}.js`);
            expect(files).toContain(`${compiled}.d.ts`);
        }
        // The stack program (index.ts), its build (bin/), tests and policy pack stay out of the package.
        expect(files.filter((file) => !file.startsWith("dist/"))).toEqual(["README.md", "package.json"]);
        expect(files.filter((file) => !/\.(js|d\.ts)$/.test(file) && file.startsWith("dist/"))).toEqual([]);
        expect(files).not.toContain("dist/index.js");
        const installed = join(project.dir, "node_modules", "webplatform");
        expect(existsSync(join(installed, "dist", "components", "platform.d.ts"))).toBe(true);
    });

    it("type-checks TypeScript programs against the package's declarations", () => {
        const tsc = (module: string, resolution: string, ...files: string[]) =>
            spawnSync(
                process.execPath,
                [
                    join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc"),
                    ...["--noEmit", "--strict", "--skipLibCheck"],
                    ...["--module", module, "--moduleResolution", resolution, ...files],
                ],
                { cwd: project.dir, env: project.env, encoding: "utf8" },
            );
        // node10 (TypeScript's "node") reads package.json `types`; node16 reads the `exports` conditions.
        const node10 = tsc("commonjs", "node10", "typed.ts");
        expect(node10.status, `node10:\n${node10.stdout}${node10.stderr}`).toBe(0);
        const node16 = tsc("node16", "node16", "typed.ts", "typed-subpath.ts");
        expect(node16.status, `node16:\n${node16.stdout}${node16.stderr}`).toBe(0);
        const mistyped = tsc("node16", "node16", "mistyped.ts");
        expect(mistyped.status).not.toBe(0);
        expect(mistyped.stdout).toMatch(
            /mistyped\.ts\(\d+,\d+\): error TS2322: Type '"develop"' is not assignable to type 'DeploymentEnvironment'/,
        );
    });

    it("previews a development Platform from the installed package under the real engine", async () => {
        const preview = await project.must(["preview", "--stack", "dev", "--json"]);
        const report = JSON.parse(preview.stdout);
        const steps: PreviewStep[] = report.steps;
        expect(steps.map((step) => step.op)).toEqual(steps.map(() => "create"));
        const platform = steps.find((step) => step.urn.endsWith(`::webplatform:index:Platform::${NAME}`));
        expect(platform, preview.output).toBeDefined();
        // Everything below the Platform, however deeply nested.
        const inside = new Set([platform!.urn]);
        for (let grew = true; grew;) {
            grew = false;
            for (const step of steps) {
                if (!inside.has(step.urn) && step.newState?.parent && inside.has(step.newState.parent)) {
                    inside.add(step.urn);
                    grew = true;
                }
            }
        }
        const children = steps.filter((step) => inside.has(step.urn) && step !== platform);
        const typesAndNames = children.map((step) => typeAndName(step.urn));
        expect(typesAndNames.sort((a, b) => a.join(" ").localeCompare(b.join(" ")))).toEqual(EXPECTED_CHILDREN);
        // Besides them, only the stack itself and the Platform, a child of the stack.
        const others = steps.filter((step) => !inside.has(step.urn));
        expect(others.map((step) => typeAndName(step.urn))).toEqual([["pulumi:pulumi:Stack", "shop-dev"]]);
        expect(platform!.newState?.parent).toBe(others[0].urn);
        expect(report.changeSummary).toEqual({ create: EXPECTED_CHILDREN.length + 2 });

        const inputsOf = (type: string) =>
            Object.fromEntries(
                children
                    .filter((step) => typeAndName(step.urn)[0] === type)
                    .map((step) => [typeAndName(step.urn)[1], step.newState?.inputs?.name]),
            );
        expect(inputsOf("docker:index/container:Container")).toEqual(EXPECTED_CONTAINERS);
        expect(inputsOf("docker:index/remoteImage:RemoteImage")).toEqual(EXPECTED_IMAGES);
    });
});

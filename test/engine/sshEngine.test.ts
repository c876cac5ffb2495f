import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { docker, freeLoopbackPort, removePlatform } from "./docker";
import { dockerCliInterpreter } from "../../components/dockerCli";
import { programProject } from "./programProject";
import { CliResult, PulumiProject, REPO_ROOT } from "./pulumiCli";
import { TestSshd, startSshd } from "./sshd";

/**
 * Deploying to a Docker engine reached over SSH, against a real sshd on 127.0.0.1 that fronts this machine's
 * engine: the happy path, then a rejected key, a closed port and an engine that does not answer, each failing
 * fast with the preflight's one line (during `up` from the DockerHostPreflight step, during `preview` from the
 * in-program check).
 */
const NAME = "wpssh";
/** A failure must show up well before ssh's or Docker's own timeouts (30 s and more) would have fired. */
const FAST_MS = 30_000;

/** A program with the Platform's wiring: preflight, then an explicit SSH provider that waits for it, then Redis. */
function programSource(): string {
    const components = join(REPO_ROOT, "components");
    return `import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { checkDockerHostSync } from ${JSON.stringify(join(components, "dockerHostCheckRun"))};
import { DockerHostPreflight } from ${JSON.stringify(join(components, "dockerHostPreflight"))};
import { Redis } from ${JSON.stringify(join(components, "redis"))};

const config = new pulumi.Config("${NAME}");
const host = config.require("host");
const sshOptions = config.requireObject<string[]>("sshOptions");
// What the stack program does before it registers anything: check on every preview and every up.
if (config.getBoolean("checkInProgram")) {
    checkDockerHostSync(host, sshOptions);
}
const preflight = config.getBoolean("preflight") === false
    ? undefined
    : new DockerHostPreflight("${NAME}-preflight", { host, sshOptions });
const provider = new docker.Provider(
    "${NAME}-docker",
    { host, sshOpts: sshOptions },
    { dependsOn: preflight ? [preflight] : [] },
);
const network = new docker.Network(
    "${NAME}-private",
    { name: "${NAME}-private", driver: "bridge", internal: true },
    { provider },
);
const redis = new Redis(
    "${NAME}-redis",
    { network: network.name, image: { reference: "webplatform/redis:7" }, allowDataDeletion: true },
    { providers: [provider] },
);
export const engineVersion = preflight?.engineVersion;
export const container = redis.container.name;
`;
}

async function configure(
    project: PulumiProject,
    settings: { host: string; sshOptions: string[]; checkInProgram?: boolean; preflight?: boolean },
): Promise<void> {
    await project.setConfig(`${NAME}:host`, settings.host);
    await project.setConfig(`${NAME}:sshOptions`, JSON.stringify(settings.sshOptions));
    await project.setConfig(`${NAME}:checkInProgram`, String(settings.checkInProgram ?? false));
    await project.setConfig(`${NAME}:preflight`, String(settings.preflight ?? true));
}

/** Runs pulumi and measures how long it took. */
async function timed(project: PulumiProject, args: string[]): Promise<CliResult & { ms: number }> {
    const started = Date.now();
    const result = await project.pulumi(args);
    return { ...result, ms: Date.now() - started };
}

function engineVersion(): string {
    return docker(["version", "--format", "{{.Server.Version}}"]);
}

describe("a Docker engine reached over SSH", () => {
    let sshd: TestSshd;
    /** The same machine behind SSH, but every session's docker points at a socket that does not exist. */
    let engineDown: TestSshd;
    let closedPort = 0;
    const project = programProject("ssh", NAME, programSource());

    // The pulumi runs block this worker; letting its event loop turn between tests keeps vitest's RPC alive.
    afterEach(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));

    beforeAll(async () => {
        removePlatform(`${NAME}-`);
        sshd = await startSshd();
        engineDown = await startSshd({ sessionEnv: { DOCKER_HOST: "unix:///run/wpssh-no-engine.sock" } });
        closedPort = await freeLoopbackPort();
    });

    afterAll(async () => {
        for (const stack of ["good", "bare", "bad"]) {
            await project.pulumi(["destroy", "--yes", "--stack", stack]);
        }
        removePlatform(`${NAME}-`);
        await sshd?.stop();
        await engineDown?.stop();
        project.remove();
    });

    describe("with an authorized key", () => {
        beforeAll(async () => {
            await project.initStack("good");
            await configure(project, { host: sshd.dockerHost, sshOptions: sshd.sshOptions(), checkInProgram: true });
        });

        it("previews, running the in-program check against the real sshd", async () => {
            const preview = await timed(project, ["preview", "--stack", "good"]);
            expect(preview.code, preview.output).toBe(0);
        });

        it("deploys Redis through the SSH provider after the preflight passed", async () => {
            const up = await timed(project, ["up", "--yes", "--stack", "good", "--skip-preview"]);
            expect(up.code, `${up.output}\n${sshd.log()}`).toBe(0);
            expect(docker(["ps", "--filter", `name=^${NAME}-redis$`, "--format", "{{.Names}} {{.Status}}"])).toMatch(
                new RegExp(`^${NAME}-redis Up .*\\(healthy\\)$`),
            );
            const outputs = JSON.parse((await project.must(["stack", "output", "--stack", "good", "--json"])).stdout);
            expect(outputs).toEqual({ engineVersion: engineVersion(), container: `${NAME}-redis` });
            expect(sshd.log()).toMatch(/Accepted publickey for root from 127\.0\.0\.1/);
        });

        it("the docker CLI (migrations, smoke check) gets the same ssh options only through the shim", async () => {
            const env = { ...process.env, DOCKER_HOST: sshd.dockerHost };
            const list = `docker ps --filter name=^${NAME}-redis$ --format '{{.Names}}'`;
            // Alone, the CLI runs plain `ssh`: no key, no known host, so it cannot log in.
            const plain = spawnSync("/bin/sh", ["-c", list], { env, encoding: "utf8" });
            expect(plain.status).not.toBe(0);
            // What a docker CLI step runs: its interpreter, then its script.
            const [program, ...args] = dockerCliInterpreter({ host: sshd.dockerHost, sshOptions: sshd.sshOptions() });
            const shimmed = spawnSync(program, [...args, list], {
                env,
                encoding: "utf8",
            });
            expect(shimmed.stdout.trim(), shimmed.stderr).toBe(`${NAME}-redis`);
        });

        it("a second up changes nothing: the preflight does not run again while host and options stay", async () => {
            await project.must(["up", "--yes", "--stack", "good", "--expect-no-changes"]);
        });

        it("a key revoked after the deploy fails the next preview at once, in the program", async () => {
            sshd.authorizeClientKey(false);
            try {
                const preview = await timed(project, ["preview", "--stack", "good"]);
                expect(preview.code).not.toBe(0);
                expect(preview.output).toContain(
                    `docker host ${sshd.dockerHost}: SSH key rejected. Fix: add the public key to ~root/.ssh/authorized_keys on the host, or set webplatform:dockerSshOptions to the right -i key.`,
                );
                expect(preview.output).not.toMatch(/\n\s+at /);
                expect(preview.ms).toBeLessThan(FAST_MS);
            } finally {
                sshd.authorizeClientKey(true);
            }
        });
    });

    describe("without the preflight (the Docker provider on its own)", () => {
        beforeAll(async () => await project.initStack("bare"));

        it("a rejected key passes preview, then fails every Docker resource at up with the provider's error", async () => {
            await configure(project, {
                host: sshd.dockerHost,
                sshOptions: sshd.sshOptions(sshd.strangerKey),
                preflight: false,
            });
            // The provider dials the engine only when it acts on a resource, never for a preview of creates.
            expect((await timed(project, ["preview", "--stack", "bare"])).code).toBe(0);
            const up = await timed(project, ["up", "--yes", "--stack", "bare", "--skip-preview"]);
            expect(up.code).not.toBe(0);
            expect(up.output).toContain(
                `Error pinging Docker server, please make sure that ${sshd.dockerHost} is reachable`,
            );
            expect(up.output).toContain("stderr=root@127.0.0.1: Permission denied (publickey).");
            expect(up.output).not.toContain("Fix:");
        });
    });

    describe("failing fast with the host and the fix", () => {
        const cases: [string, () => { host: string; sshOptions: string[] }, () => string][] = [
            [
                "a rejected key",
                () => ({ host: sshd.dockerHost, sshOptions: sshd.sshOptions(sshd.strangerKey) }),
                () =>
                    `docker host ${sshd.dockerHost}: SSH key rejected. Fix: add the public key to ~root/.ssh/authorized_keys on the host, or set webplatform:dockerSshOptions to the right -i key.`,
            ],
            [
                "an unreachable host",
                () => ({ host: `ssh://root@127.0.0.1:${closedPort}`, sshOptions: sshd.sshOptions() }),
                () =>
                    `docker host ssh://root@127.0.0.1:${closedPort}: unreachable (connection refused). Fix: check the host name and port ${closedPort}, that sshd runs on the host, and that no firewall blocks SSH from this machine.`,
            ],
            [
                "a Docker engine that does not answer",
                () => ({ host: engineDown.dockerHost, sshOptions: engineDown.sshOptions() }),
                () =>
                    `docker host ${engineDown.dockerHost}: Docker engine not running (or user not in the docker group). Fix: start Docker on the host (sudo systemctl start docker) and add root to the docker group (sudo usermod -aG docker root, then log in again).`,
            ],
        ];

        beforeAll(async () => await project.initStack("bad"));

        it.each(cases)(
            "%s: `up` stops at the preflight step, before any Docker resource",
            async (_case, target, message) => {
                await configure(project, { ...target(), checkInProgram: false });
                const up = await timed(project, ["up", "--yes", "--stack", "bad", "--skip-preview"]);
                expect(up.code).not.toBe(0);
                expect(up.output).toContain(message());
                // The provider never dialed: no Docker resource was attempted and failed with its own error.
                expect(up.output).not.toContain("Error pinging Docker server");
                expect(up.output).not.toMatch(/docker:index\/\w+:\w+\s+\S+\s+\*\*creating failed\*\*/);
                expect(up.ms).toBeLessThan(FAST_MS);
            },
        );

        it.each(cases)("%s: `preview` stops in the program with the same line", async (_case, target, message) => {
            await configure(project, { ...target(), checkInProgram: true });
            const preview = await timed(project, ["preview", "--stack", "bad"]);
            expect(preview.code).not.toBe(0);
            expect(preview.output).toContain(message());
            expect(preview.output).not.toMatch(/\n\s+at /);
            expect(preview.ms).toBeLessThan(FAST_MS);
        });
    });
});

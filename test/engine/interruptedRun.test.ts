import { spawn } from "node:child_process";
import { readdirSync, readlinkSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { containersNamed, docker, engineName, freeLoopbackPort, removePlatform, settledHealth } from "./docker";
import { https } from "./http";
import { PulumiProject, REPO_ROOT } from "./pulumiCli";

/**
 * Interrupted and drifted deploys under the real engine, on one dev stack: `pulumi up` interrupted with SIGINT and
 * with SIGKILL at two points of a rollout (the new web container created and waited on; the old one being stopped),
 * then the README's deploy command (scripts/deploy-stack.sh, what
 * scripts/dev-up.sh runs) converges with no manual step; a container removed or stopped by hand is repaired by it.
 */
const NAME = "wpint";
const DEPLOY = join(REPO_ROOT, "scripts/deploy-stack.sh");

describe("interrupted and drifted deploys recover through the deploy command", () => {
    const project = new PulumiProject("interrupted");
    let httpsPort = 0;

    /** Processes still running in the project's directory: after a run has ended there must be none. */
    const processesInProject = () => {
        const dir = realpathSync(project.dir);
        return readdirSync("/proc")
            .filter((entry) => /^\d+$/.test(entry))
            .filter((pid) => {
                try {
                    return readlinkSync(`/proc/${pid}/cwd`) === dir;
                } catch {
                    return false;
                }
            });
    };
    const webContainers = () => containersNamed(`${NAME}-backend-web-1-`);
    const version = async () => JSON.parse((await https(httpsPort, "/api/version")).body).version;
    const deploy = () => project.run("bash", [DEPLOY, "dev"]).result;

    /**
     * Starts a rollout to `image`, and interrupts the CLI with `signal` at `point`: once the new web container exists
     * (its health gate waiting on it), or once the engine is stopping the old one (its delete in flight).
     */
    const interruptRollout = async (image: string, signal: NodeJS.Signals, point: "new created" | "old stopping") => {
        const [oldWeb] = webContainers();
        // The engine's own event, so the signal lands while the old container's delete is in flight, not after it.
        const stopping = spawn("docker", [
            "events",
            "--filter",
            `container=${oldWeb}`,
            "--filter",
            "event=kill",
            "--format",
            "{{.Action}}",
        ]);
        const oldStopping = new Promise<void>((resolve) => stopping.stdout.once("data", () => resolve()));
        await project.setConfig("backend.image", image, { path: true });
        const run = project.start(["up", "--yes", "--stack", "dev", "--skip-preview"]);
        try {
            if (point === "new created") {
                for (let attempt = 0; attempt < 600 && webContainers().length < 2; attempt++) {
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
                expect(webContainers()).toHaveLength(2);
            } else {
                const timedOut = new Promise<string>((resolve) => setTimeout(() => resolve("timed out"), 180_000));
                expect(await Promise.race([oldStopping.then(() => "stopping"), timedOut])).toBe("stopping");
            }
        } finally {
            stopping.kill();
        }
        process.kill(run.pid, signal);
        for (let attempt = 0; attempt < 600; attempt++) {
            try {
                process.kill(run.pid, 0);
            } catch {
                break;
            }
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return run;
    };

    /** After the deploy command: a clean second run, one healthy web container on `image`'s version, no process. */
    const expectConverged = async (expectedVersion: string) => {
        await project.must(["up", "--yes", "--stack", "dev", "--expect-no-changes"]);
        const web = webContainers();
        expect(web).toHaveLength(1);
        expect(await settledHealth(web, 60_000)).toEqual([`${web[0]} healthy`]);
        expect(await version()).toBe(expectedVersion);
        expect(processesInProject()).toEqual([]);
    };

    beforeAll(async () => {
        removePlatform(`${NAME}-`);
        await project.initStack("dev", "Pulumi.dev.yaml");
        await project.setConfig("webplatform:name", NAME);
        await project.setConfig("nginx.httpPort", String(await freeLoopbackPort()), { path: true });
        httpsPort = await freeLoopbackPort();
        await project.setConfig("nginx.httpsPort", String(httpsPort), { path: true });
        const first = await deploy();
        expect(first.code, first.output).toBe(0);
    });

    afterAll(async () => {
        await project.pulumi(["destroy", "--yes", "--stack", "dev"]);
        removePlatform(`${NAME}-`);
        project.remove();
    });

    it("after SIGINT mid-rollout, the deploy command converges on the new version", async () => {
        const interrupted = await (
            await interruptRollout("webplatform/sample-app:1.1.0", "SIGINT", "new created")
        ).result;
        expect(interrupted.code).not.toBe(0);
        const recovered = await deploy();
        expect(recovered.code, recovered.output).toBe(0);
        await expectConverged("1.1.0");
    });

    it("after SIGKILL mid-rollout, the deploy command ends the orphans, unlocks, clears the pending create and converges", async () => {
        const run = await interruptRollout("webplatform/sample-app:1.0.0", "SIGKILL", "new created");
        const recovered = await deploy();
        expect(recovered.code, recovered.output).toBe(0);
        expect(recovered.output).toMatch(
            /^recover: removing the lock of stack dev left by pulumi pid \d+, which is gone/m,
        );
        expect(recovered.output).toMatch(/^recover: ending pulumi-resource-docker \(pid \d+\)/m);
        expect(recovered.output).toMatch(
            /^recover: the interrupted run left a pending creating of \S+wpint-backend-web-1$/m,
        );
        // The killed CLI's pipes close once its orphans are gone.
        await run.result;
        await expectConverged("1.0.0");
    });

    it("after SIGINT while the old container is being stopped, the deploy command converges on the new version", async () => {
        // SIGINT lets the engine finish the steps in flight, and deleting the old container may be the run's last
        // one: the CLI then exits 0 or not, depending on the moment. Either way the next deploy must converge.
        await (
            await interruptRollout("webplatform/sample-app:1.1.0", "SIGINT", "old stopping")
        ).result;
        const recovered = await deploy();
        expect(recovered.code, recovered.output).toBe(0);
        await expectConverged("1.1.0");
    });

    it("after SIGKILL while the old container is being stopped, the deploy command ends the orphans, unlocks and converges", async () => {
        const run = await interruptRollout("webplatform/sample-app:1.0.0", "SIGKILL", "old stopping");
        const recovered = await deploy();
        expect(recovered.code, recovered.output).toBe(0);
        expect(recovered.output).toMatch(
            /^recover: removing the lock of stack dev left by pulumi pid \d+, which is gone/m,
        );
        await run.result;
        await expectConverged("1.0.0");
    });

    it("a web container removed by hand and a worker stopped by hand are repaired by the deploy command", async () => {
        docker(["rm", "-f", webContainers()[0]]);
        docker(["stop", "--time", "20", engineName(`${NAME}-worker-1`)]);
        const started = Date.now();
        const repaired = await deploy();
        console.log(`drift repair: deploy command in ${Math.round((Date.now() - started) / 1000)} s`);
        expect(repaired.code, repaired.output).toBe(0);
        const worker = engineName(`${NAME}-worker-1`);
        expect(docker(["inspect", "-f", "{{.State.Status}}", worker])).toBe("running");
        expect(await settledHealth([worker], 60_000)).toEqual([`${worker} healthy`]);
        await expectConverged("1.0.0");
    });
});

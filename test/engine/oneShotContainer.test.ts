import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docker, removePlatform } from "./docker";
import { programProject } from "./programProject";
import { CliResult, PulumiProject } from "./pulumiCli";

/**
 * What the bridged docker.Container does as a one-shot job (attach, logs, mustRun: false), which is why the
 * migration stays a docker CLI step: the provider waits for the exit and reports exitCode and containerLogs, but a
 * non-zero exit does not fail `up`, so dependents would start against an unmigrated schema; a failed run then
 * sits in the state and is never retried. (rm: true is no way out either: a refresh forgets the removed job, and the
 * provider races Docker's own removal, failing an `up` now and then with "No such container".)
 */
const NAME = "wpt";

const PROGRAM = `import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
const config = new pulumi.Config("${NAME}");
const image = new docker.RemoteImage("${NAME}-image", { name: "webplatform/debian:bookworm", keepLocally: true });
const job = new docker.Container(
    "${NAME}-job",
    {
        name: "${NAME}-job",
        image: image.imageId,
        command: config.requireObject<string[]>("command"),
        envs: pulumi.secret(["TOKEN=${NAME}-secret-token"]),
        attach: true,
        mustRun: false,
        logs: true,
        rm: config.getBoolean("rm") ?? false,
        restart: "no",
        user: "10001:10001",
        readOnly: true,
        tmpfs: { "/tmp": "rw,size=16m" },
        securityOpts: ["no-new-privileges:true"],
        capabilities: { drops: ["ALL"] },
        memory: 64,
        memorySwap: 64,
        logDriver: "json-file",
        logOpts: { "max-size": "10m", "max-file": "5" },
        labels: [{ label: "webplatform.role", value: "migration" }],
    },
    { additionalSecretOutputs: ["containerLogs"] },
);
export const exitCode = job.exitCode;
export const logs = job.containerLogs;
`;

describe("the bridged docker.Container as a one-shot job", () => {
    let project: PulumiProject;

    beforeAll(async () => {
        removePlatform(`${NAME}-`);
        project = programProject(NAME, NAME, PROGRAM);
        await project.initStack("job");
    });

    afterAll(async () => {
        await project.pulumi(["destroy", "--yes", "--stack", "job"]);
        removePlatform(`${NAME}-`);
        project.remove();
    });

    const up = (...extra: string[]): Promise<CliResult> =>
        project.pulumi(["up", "--yes", "--stack", "job", "--skip-preview", ...extra]);
    const outputs = async () =>
        JSON.parse((await project.must(["stack", "output", "--stack", "job", "--json", "--show-secrets"])).stdout);
    const setCommand = (script: string) => project.setConfig(`${NAME}:command`, JSON.stringify(["sh", "-c", script]));
    const state = () => project.stateFileText("job", NAME);

    it("waits for the exit and reports exitCode and the log (a secret), then a second up is quiet", async () => {
        // The log line is computed, so it is not in the command (which the state keeps in plain text).
        await setCommand("echo started; sleep 3; echo finished-$((40 + 2))");
        const started = Date.now();
        const first = await up();
        expect(first.code, first.output).toBe(0);
        expect(Date.now() - started).toBeGreaterThan(3_000);
        expect(await outputs()).toEqual({ exitCode: 0, logs: "started\nfinished-42\n" });
        expect(state()).not.toContain("finished-42");
        expect(state()).not.toContain(`${NAME}-secret-token`);
        expect(docker(["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", `${NAME}-job`])).toBe("exited 0");
        expect((await up("--expect-no-changes")).code).toBe(0);
    });

    it("replaces (re-runs) the job when its command changes, but a non-zero exit does not fail up", async () => {
        await setCommand("echo 'relation broken' >&2; exit 3");
        const failed = await up();
        expect(failed.code, failed.output).toBe(0);
        expect(failed.output).toMatch(/docker:index:Container\s+wpt-job\s+created replacement/);
        expect(await outputs()).toEqual({ exitCode: 3, logs: "relation broken\n" });
    });

    it("keeps the failed run in the state: the next up changes nothing and does not retry it", async () => {
        const again = await up("--expect-no-changes");
        expect(again.code, again.output).toBe(0);
        expect((await outputs()).exitCode).toBe(3);
    });
});

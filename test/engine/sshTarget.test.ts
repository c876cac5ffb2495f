import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { docker, removePlatform } from "./docker";
import { programProject } from "./programProject";
import { REPO_ROOT } from "./pulumiCli";
import { TestSshd, startSshd } from "./sshd";

/**
 * A component on its own behind one DockerTarget over SSH (a real sshd on 127.0.0.1 that fronts this machine's
 * engine): its containers come from the provider it inherits, and its docker CLI step (the PostgreSQL password
 * sync) reaches the same engine with the same key through the ssh wrapper, the password on psql's stdin.
 */
const NAME = "wptgt";

function programSource(): string {
    const components = join(REPO_ROOT, "components");
    return `import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DockerTarget } from ${JSON.stringify(join(components, "dockerTarget"))};
import { Postgres } from ${JSON.stringify(join(components, "postgres"))};

const config = new pulumi.Config("${NAME}");
const target = new DockerTarget("${NAME}-docker", {
    host: config.require("host"),
    sshOptions: config.requireObject<string[]>("sshOptions"),
});
const network = new docker.Network("${NAME}-private", { name: "${NAME}-private", internal: true }, { provider: target });
const postgres = new Postgres(
    "${NAME}-db",
    {
        network: network.name,
        image: { reference: "webplatform/postgres:15" },
        passwordRotation: config.get("rotation"),
        allowDataDeletion: true,
    },
    { providers: [target] },
);
export const password = postgres.password;
`;
}

/** `ps` of this machine every 20 ms while `body` runs: every command line seen (containers' processes included). */
async function commandLinesDuring(body: () => Promise<void>): Promise<Set<string>> {
    const seen = new Set<string>();
    let running = true;
    const sample = async () => {
        while (running) {
            await new Promise<void>((resolve) => {
                const ps = spawn("ps", ["-eo", "args="]);
                let text = "";
                ps.stdout.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
                ps.on("close", () => {
                    text.split("\n").forEach((line) => seen.add(line.trim()));
                    resolve();
                });
            });
            await new Promise((resolve) => setTimeout(resolve, 20));
        }
    };
    const sampling = sample();
    try {
        await body();
    } finally {
        running = false;
        await sampling;
    }
    return seen;
}

describe("a DockerTarget over SSH", () => {
    let sshd: TestSshd;
    const project = programProject("ssh-target", NAME, programSource());

    // The pulumi runs block this worker; letting its event loop turn between tests keeps vitest's RPC alive.
    afterEach(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));

    beforeAll(async () => {
        removePlatform(`${NAME}-`);
        sshd = await startSshd();
        await project.initStack("target");
        await project.setConfig(`${NAME}:host`, sshd.dockerHost);
        await project.setConfig(`${NAME}:sshOptions`, JSON.stringify(sshd.sshOptions()));
    });

    afterAll(async () => {
        await project.pulumi(["destroy", "--yes", "--stack", "target"]);
        removePlatform(`${NAME}-`);
        await sshd?.stop();
        project.remove();
    });

    const password = async () =>
        JSON.parse((await project.must(["stack", "output", "--stack", "target", "--json", "--show-secrets"])).stdout)
            .password as string;
    /** Logs in over the network address (loopback is trusted without a password), from inside the container. */
    const login = (secret: string) => {
        const address = docker([
            "inspect",
            "-f",
            "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
            `${NAME}-db`,
        ]);
        return docker([
            "exec",
            `${NAME}-db`,
            "psql",
            `postgresql://app:${secret}@${address}:5432/app`,
            "-tAc",
            "SELECT 1",
        ]);
    };

    it("deploys the database through the target's provider, its CLI step logging in with the same key", async () => {
        const up = await project.pulumi(["up", "--yes", "--stack", "target", "--skip-preview"]);
        expect(up.code, `${up.output}\n${sshd.log()}`).toBe(0);
        expect(login(await password())).toBe("1");
        expect(sshd.log()).toMatch(/Accepted publickey for root from 127\.0\.0\.1/);
    });

    it("applies a rotated password to the kept data through the CLI step, the password in no process's argv", async () => {
        const before = await password();
        await project.setConfig(`${NAME}:rotation`, "2");
        const lines = await commandLinesDuring(async () => {
            const up = await project.pulumi(["up", "--yes", "--stack", "target", "--skip-preview"]);
            expect(up.code, `${up.output}\n${sshd.log()}`).toBe(0);
        });
        const after = await password();
        expect(after).not.toBe(before);
        // The data directory was initialised with the old password: only the sync can have set the new one.
        expect(login(after)).toBe("1");
        expect(() => login(before)).toThrow(/password authentication failed/);
        expect([...lines].some((line) => line.includes(`docker exec -i ${NAME}-db psql`))).toBe(true);
        expect([...lines].filter((line) => line.includes(after))).toEqual([]);
        await project.must(["up", "--yes", "--stack", "target", "--expect-no-changes"]);
    });
});

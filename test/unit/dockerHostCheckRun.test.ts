import * as pulumi from "@pulumi/pulumi";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DockerHostUnavailableError, checkDockerHost, checkDockerHostSync } from "../../components/dockerHostCheckRun";
import { FAILURES, HOST, KEY } from "./dockerHostFailures";

describe("checkDockerHost and checkDockerHostSync", () => {
    /** Runs `body` with PATH holding only a stand-in `ssh` made of `script` (or no ssh at all). */
    async function withFakeSsh(script: string | undefined, body: () => Promise<void>) {
        const bin = mkdtempSync(join(tmpdir(), "wpssh-fake-ssh-"));
        if (script !== undefined) {
            writeFileSync(join(bin, "ssh"), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
        }
        const path = process.env.PATH;
        // The stand-in needs sh and sleep from /bin; without one, PATH holds nothing that is called ssh.
        process.env.PATH = script === undefined ? bin : `${bin}:/usr/bin:/bin`;
        try {
            await body();
        } finally {
            process.env.PATH = path;
            rmSync(bin, { recursive: true, force: true });
        }
    }

    it("returns the engine version when ssh and docker answer", async () => {
        await withFakeSsh("echo 27.3.1", async () => {
            expect(checkDockerHostSync(HOST, KEY)).toBe("27.3.1");
            await expect(checkDockerHost(HOST, KEY)).resolves.toBe("27.3.1");
        });
    });

    it("throws the diagnosis as a RunError, so Pulumi prints the line without a stack trace", async () => {
        await withFakeSsh("echo 'deploy@203.0.113.10: Permission denied (publickey).' >&2; exit 255", async () => {
            const message = FAILURES[0][5];
            expect(() => checkDockerHostSync(HOST, KEY)).toThrow(message);
            const failure = await checkDockerHost(HOST, KEY).catch((error: unknown) => error);
            expect(failure).toBeInstanceOf(DockerHostUnavailableError);
            expect(pulumi.RunError.isInstance(failure)).toBe(true);
            expect(failure).toMatchObject({ message, problem: "sshKeyRejected" });
        });
    });

    it("says so when this machine has no ssh client", async () => {
        await withFakeSsh(undefined, async () => {
            const message =
                "docker host ssh://deploy@203.0.113.10: no ssh client on this machine. Fix: install OpenSSH's client (apt-get install openssh-client) where pulumi runs.";
            expect(() => checkDockerHostSync(HOST, KEY)).toThrow(message);
            await expect(checkDockerHost(HOST, KEY)).rejects.toThrow(message);
        });
    });

    it("gives up after its timeout when the host never answers", async () => {
        await withFakeSsh("exec sleep 10", async () => {
            const message =
                "docker host ssh://deploy@203.0.113.10: no answer within 0.3 s. Fix: check that `docker version` answers on the host and that the host is not overloaded.";
            // Both wait out the same timeout: the asynchronous check's runs while the synchronous one blocks.
            const asynchronous = expect(checkDockerHost(HOST, KEY, 300)).rejects.toThrow(message);
            expect(() => checkDockerHostSync(HOST, KEY, 300)).toThrow(message);
            await asynchronous;
        });
    });
});

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dockerCliEnvironment, dockerCliInterpreter } from "../../components/dockerCli";
import { DockerCliTarget } from "../../components/dockerTarget";

const TARGET: DockerCliTarget = {
    host: "ssh://deploy@203.0.113.10",
    sshOptions: ["-i", "/keys/deploy key", "-o", "UserKnownHostsFile=/etc/webplatform/known_hosts"],
};

describe("the docker CLI steps' interpreter", () => {
    let bin = "";

    beforeEach(() => {
        // A stand-in ssh first on PATH prints what it was called with, as the docker CLI would call it.
        bin = mkdtempSync(join(tmpdir(), "wpssh-fake-ssh-"));
        writeFileSync(join(bin, "ssh"), '#!/bin/sh\nprintf "%s|" "$@"\n', { mode: 0o755 });
    });

    afterEach(() => rmSync(bin, { recursive: true, force: true }));

    /** Runs `script` the way the command provider runs a step: interpreter, then the script as last argument. */
    function runStep(target: DockerCliTarget, script: string, input?: string, path = `${bin}:${process.env.PATH}`) {
        const [program, ...args] = dockerCliInterpreter(target);
        return spawnSync(program, [...args, script], { encoding: "utf8", input, env: { ...process.env, PATH: path } });
    }

    it("is plain sh without ssh options, and sets DOCKER_HOST only for a target with a host", () => {
        expect(dockerCliInterpreter({ host: "ssh://deploy@203.0.113.10", sshOptions: [] })).toEqual(["/bin/sh", "-c"]);
        expect(dockerCliEnvironment(TARGET)).toEqual({ DOCKER_HOST: "ssh://deploy@203.0.113.10" });
        expect(dockerCliEnvironment({ sshOptions: [] })).toEqual({});
    });

    it("makes the docker CLI's plain `ssh` run with the stack's options, then removes itself", () => {
        const result = runStep(
            TARGET,
            'ssh -o ConnectTimeout=30 -T -l deploy -- 203.0.113.10 docker system dial-stdio; echo; dirname "$(command -v ssh)"',
        );
        const [called, shimDir] = result.stdout.trim().split("\n");
        expect(result.status, result.stderr).toBe(0);
        expect(called).toBe(
            "-i|/keys/deploy key|-o|UserKnownHostsFile=/etc/webplatform/known_hosts|-o|ConnectTimeout=30|-T|-l|deploy|--|203.0.113.10|docker|system|dial-stdio|",
        );
        expect(shimDir).not.toBe(bin);
        expect(existsSync(shimDir)).toBe(false);
    });

    it("passes every option through as one word, whatever quotes, spaces or shell characters it holds", () => {
        const options = ["-o", "ProxyCommand=ssh -W %h:%p jump", "-i", '/keys/it\'s $HOME `x` "y"!', "-o", "a\nb"];
        const result = runStep({ ...TARGET, sshOptions: options }, "ssh host");
        expect(result.status, result.stderr).toBe(0);
        expect(result.stdout).toBe(`${options.join("|")}|host|`);
    });

    it("hands the script its stdin and returns its exit code and output", () => {
        const result = runStep(TARGET, 'read -r line; echo "got $line"; echo oops >&2; exit 3', "secret text\n");
        expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
            status: 3,
            stdout: "got secret text\n",
            stderr: "oops\n",
        });
    });

    it("says so when this machine has no ssh client", () => {
        const empty = mkdtempSync(join(tmpdir(), "wpssh-no-ssh-"));
        try {
            const node = process.execPath.slice(0, process.execPath.lastIndexOf("/"));
            const result = runStep(TARGET, "echo never", undefined, `${empty}:${node}`);
            expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
                status: 1,
                stdout: "",
                stderr: "no ssh client on this machine\n",
            });
        } finally {
            rmSync(empty, { recursive: true, force: true });
        }
    });
});

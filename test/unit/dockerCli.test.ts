import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dockerCliSshShim } from "../../components/dockerCli";

describe("dockerCliSshShim", () => {
    it("is empty without options", () => {
        expect(dockerCliSshShim([])).toBe("");
    });

    it("makes the docker CLI's plain `ssh` run with the stack's options, then removes itself", () => {
        // A stand-in ssh first on PATH prints what it was called with, as the docker CLI would call it.
        const bin = mkdtempSync(join(tmpdir(), "wpssh-fake-ssh-"));
        writeFileSync(join(bin, "ssh"), '#!/bin/sh\nprintf "%s|" "$@"\n', { mode: 0o755 });
        const options = ["-i", "/keys/deploy key", "-o", "UserKnownHostsFile=/etc/webplatform/known_hosts"];
        const script = `${dockerCliSshShim(options)}ssh -o ConnectTimeout=30 -T -l deploy -- 203.0.113.10 docker system dial-stdio; echo; echo "$webplatform_ssh_shim"`;
        const result = spawnSync("/bin/sh", ["-c", script], {
            encoding: "utf8",
            env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
        });
        const [called, shimDir] = result.stdout.trim().split("\n");
        expect(result.status).toBe(0);
        expect(called).toBe(
            "-i|/keys/deploy key|-o|UserKnownHostsFile=/etc/webplatform/known_hosts|-o|ConnectTimeout=30|-T|-l|deploy|--|203.0.113.10|docker|system|dial-stdio|",
        );
        expect(existsSync(shimDir)).toBe(false);
        rmSync(bin, { recursive: true, force: true });
    });
});

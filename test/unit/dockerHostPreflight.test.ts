import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import {
    COMMAND,
    NETWORK,
    isSecret,
    named,
    ofType,
    recorded,
    resetRecorded,
    settle,
    valueOf,
    waitsFor,
} from "../mocks";
import {
    DockerHostPreflight,
    DockerHostProblem,
    DockerHostUnavailableError,
    checkDockerHost,
    checkDockerHostSync,
    dockerCliSshShim,
    diagnoseDockerHostFailure,
    dockerHostCheckArgv,
    dockerHostCheckCommand,
    dockerHostClassifierScript,
    parseDockerHost,
} from "../../components/dockerHostPreflight";
import { shellQuote } from "../../components/shell";

const HOST = "ssh://deploy@203.0.113.10";
const KEY = ["-i", "/keys/deploy"];
const CHECK = `ssh -o BatchMode=yes -o ConnectTimeout=5 -l deploy -i /keys/deploy -- 203.0.113.10 'docker version --format "{{.Server.Version}}"'`;
const UNREACHABLE_FIX =
    "Fix: check the host name and port 22, that sshd runs on the host, and that no firewall blocks SSH from this machine.";
const ENGINE_FIX =
    "Docker engine not running (or user not in the docker group). Fix: start Docker on the host (sudo systemctl start docker) and add deploy to the docker group (sudo usermod -aG docker deploy, then log in again).";

describe("DockerHostPreflight", () => {
    beforeEach(resetRecorded);

    async function deploy(host = HOST, sshOptions: string[] = KEY) {
        const preflight = new DockerHostPreflight("prod-docker-preflight", { host, sshOptions });
        await valueOf(preflight.engineVersion);
        await settle();
        return preflight;
    }

    it("runs ssh in batch mode with a short timeout, the stack's options, and `docker version` on the host", async () => {
        await deploy();
        expect(recorded.map((resource) => resource.name)).toEqual([
            "prod-docker-preflight",
            "prod-docker-preflight-check",
        ]);
        const check = named("prod-docker-preflight-check");
        expect(check.type).toBe(COMMAND);
        expect(check.parent).toBe(named("prod-docker-preflight").urn);
        expect(check.inputs.create).toBe(CHECK);
        expect(check.inputs.interpreter).toEqual([
            "/bin/sh",
            "-c",
            dockerHostClassifierScript(HOST, KEY),
            "webplatform-preflight",
        ]);
        expect(check.inputs.logging).toBe("stderr");
    });

    it("runs again when the host or the options change, and only then (a stable trigger keeps `up` idempotent)", async () => {
        await deploy();
        expect(named("prod-docker-preflight-check").inputs.triggers).toEqual([HOST, "-i", "/keys/deploy"]);
        // The command SDK marks triggers replace-on-change: a new host or key replaces the check, which runs it again.
        expect(named("prod-docker-preflight-check").replaceOnChanges).toEqual(["triggers[*]"]);
    });

    it("holds no secret: a key path and a host are not secrets, so the log and output stay readable", async () => {
        await deploy();
        const check = named("prod-docker-preflight-check");
        for (const value of Object.values(check.wireInputs)) {
            expect(isSecret(value)).toBe(false);
        }
        expect(check.inputs.environment).toBeUndefined();
        expect(check.additionalSecretOutputs).toEqual([]);
    });

    it("keeps the caller's options after its own, so BatchMode and the timeout cannot be overridden", () => {
        expect(dockerHostCheckArgv(HOST, ["-o", "BatchMode=no", "-o", "ConnectTimeout=60"])).toEqual([
            "ssh",
            "-o",
            "BatchMode=yes",
            "-o",
            "ConnectTimeout=5",
            "-l",
            "deploy",
            "-o",
            "BatchMode=no",
            "-o",
            "ConnectTimeout=60",
            "--",
            "203.0.113.10",
            'docker version --format "{{.Server.Version}}"',
        ]);
    });

    it("reaches the engine the way the Docker provider does: port, IPv6 host and socket path from the address", () => {
        expect(dockerHostCheckCommand("ssh://root@[2001:db8::7]:2222/run/user/1000/docker.sock", [])).toBe(
            `ssh -o BatchMode=yes -o ConnectTimeout=5 -l root -p 2222 -- 2001:db8::7 'docker --host=unix:///run/user/1000/docker.sock version --format "{{.Server.Version}}"'`,
        );
        expect(dockerHostCheckCommand("ssh://203.0.113.10", [])).toBe(
            `ssh -o BatchMode=yes -o ConnectTimeout=5 -- 203.0.113.10 'docker version --format "{{.Server.Version}}"'`,
        );
        expect(dockerHostCheckCommand("unix:///var/run/docker.sock", ["-i", "/ignored"])).toBe(
            "docker --host unix:///var/run/docker.sock version --format '{{.Server.Version}}'",
        );
    });

    it("refuses an address with a password, query or unknown scheme, naming it and the fix", () => {
        expect(() => parseDockerHost("ssh://deploy:hunter2@203.0.113.10")).toThrow(
            "docker host ssh://deploy:hunter2@203.0.113.10: an ssh:// address takes only a user, a host, a port and a socket path. Fix: put keys and options in webplatform:dockerSshOptions.",
        );
        expect(() => parseDockerHost("ssh://203.0.113.10?key=/keys/deploy")).toThrow(/takes only a user/);
        expect(() => parseDockerHost("http://203.0.113.10")).toThrow(
            "docker host http://203.0.113.10: unsupported scheme. Fix: use ssh://user@host[:port] or unix:///path.",
        );
        expect(() => parseDockerHost("203.0.113.10")).toThrow("docker host 203.0.113.10 is not an address.");
    });

    it("is what the Docker provider waits for, so no Docker resource is attempted before the check passes", async () => {
        // The wiring the Platform uses: the explicit provider depends on the preflight.
        const preflight = new DockerHostPreflight("prod-docker-preflight", { host: HOST, sshOptions: KEY });
        const provider = new docker.Provider("prod-docker", { host: HOST, sshOpts: KEY }, { dependsOn: [preflight] });
        new docker.Network("prod-edge", { name: "prod-edge" }, { provider });
        await valueOf(preflight.engineVersion);
        await settle();
        const providerResource = recorded.find((resource) => resource.type === "pulumi:providers:docker")!;
        expect(waitsFor(providerResource, named("prod-docker-preflight-check"))).toBe(true);
        expect(ofType(NETWORK)[0].provider.startsWith(`${providerResource.urn}::`)).toBe(true);
    });
});

/** [case, host, exit code, what ssh and docker printed, problem, the one line the user reads]. */
const FAILURES: [string, string, number, string, DockerHostProblem, string][] = [
    [
        "a rejected key (the seed's failure)",
        HOST,
        255,
        "deploy@203.0.113.10: Permission denied (publickey).\n",
        "sshKeyRejected",
        "docker host ssh://deploy@203.0.113.10: SSH key rejected. Fix: add the public key to ~deploy/.ssh/authorized_keys on the host, or set webplatform:dockerSshOptions to the right -i key.",
    ],
    [
        "a rejected key after a known-hosts warning, password auth also offered, no user in the address",
        "ssh://203.0.113.10",
        255,
        "Warning: Permanently added '203.0.113.10' (ED25519) to the list of known hosts.\nroot@203.0.113.10: Permission denied (publickey,password).\n",
        "sshKeyRejected",
        "docker host ssh://203.0.113.10: SSH key rejected. Fix: add the public key to the SSH user's ~/.ssh/authorized_keys on the host, or set webplatform:dockerSshOptions to the right -i key.",
    ],
    [
        "an unknown host key in batch mode",
        "ssh://deploy@203.0.113.10:2222",
        255,
        "Host key verification failed.\n",
        "hostKeyNotTrusted",
        "docker host ssh://deploy@203.0.113.10:2222: SSH host key unknown or changed. Fix: check the host's key fingerprint, then add it with ssh-keyscan -p 2222 203.0.113.10 >> ~/.ssh/known_hosts, or set webplatform:dockerSshOptions to -o UserKnownHostsFile=<a file with the key>.",
    ],
    [
        "a closed port",
        HOST,
        255,
        "ssh: connect to host 203.0.113.10 port 22: Connection refused\n",
        "unreachable",
        `docker host ssh://deploy@203.0.113.10: unreachable (connection refused). ${UNREACHABLE_FIX}`,
    ],
    [
        "a silent firewall",
        HOST,
        255,
        "ssh: connect to host 203.0.113.10 port 22: Connection timed out\n",
        "unreachable",
        `docker host ssh://deploy@203.0.113.10: unreachable (connection timed out). ${UNREACHABLE_FIX}`,
    ],
    [
        "no route",
        HOST,
        255,
        "ssh: connect to host 203.0.113.10 port 22: No route to host\n",
        "unreachable",
        `docker host ssh://deploy@203.0.113.10: unreachable (no route to host). ${UNREACHABLE_FIX}`,
    ],
    [
        "a host name that does not resolve",
        "ssh://deploy@app.example.invalid",
        255,
        "ssh: Could not resolve hostname app.example.invalid: Name or service not known\n",
        "unreachable",
        "docker host ssh://deploy@app.example.invalid: unreachable (host name does not resolve). Fix: check the host name and port 22, that sshd runs on the host, and that no firewall blocks SSH from this machine.",
    ],
    [
        "a connection dropped before login (fail2ban, MaxStartups)",
        HOST,
        255,
        "kex_exchange_identification: read: Connection reset by peer\nConnection reset by 203.0.113.10 port 22\n",
        "unreachable",
        `docker host ssh://deploy@203.0.113.10: unreachable (connection closed before login). ${UNREACHABLE_FIX}`,
    ],
    [
        "a stopped engine",
        HOST,
        1,
        "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n",
        "engineUnavailable",
        `docker host ssh://deploy@203.0.113.10: ${ENGINE_FIX}`,
    ],
    [
        "a user outside the docker group",
        HOST,
        1,
        'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.47/version": dial unix /var/run/docker.sock: connect: permission denied\n',
        "engineUnavailable",
        `docker host ssh://deploy@203.0.113.10: ${ENGINE_FIX}`,
    ],
    [
        "no docker on the host (bash)",
        HOST,
        127,
        "bash: line 1: docker: command not found\n",
        "dockerMissing",
        "docker host ssh://deploy@203.0.113.10: no docker command on the host. Fix: install Docker Engine on the host, with docker on the PATH of non-interactive SSH sessions.",
    ],
    [
        "no docker on the host (zsh)",
        HOST,
        127,
        "zsh:1: command not found: docker\n",
        "dockerMissing",
        "docker host ssh://deploy@203.0.113.10: no docker command on the host. Fix: install Docker Engine on the host, with docker on the PATH of non-interactive SSH sessions.",
    ],
    [
        "no ssh client here",
        HOST,
        127,
        "sh: 1: ssh: not found\n",
        "sshMissing",
        "docker host ssh://deploy@203.0.113.10: no ssh client on this machine. Fix: install OpenSSH's client (apt-get install openssh-client) where pulumi runs.",
    ],
    [
        "a remote command that prints ssh-like text but exits 1 is not a rejected key",
        HOST,
        1,
        "Permission denied (publickey) in some script\n",
        "unknown",
        `docker host ssh://deploy@203.0.113.10: preflight failed (exit 1: Permission denied (publickey) in some script). Fix: run this command by hand to see why: ${CHECK}`,
    ],
    [
        "an account without a shell",
        HOST,
        1,
        "This account is currently not available.\n",
        "unknown",
        `docker host ssh://deploy@203.0.113.10: preflight failed (exit 1: This account is currently not available.). Fix: run this command by hand to see why: ${CHECK}`,
    ],
    [
        "a failure that printed nothing",
        HOST,
        3,
        "",
        "unknown",
        `docker host ssh://deploy@203.0.113.10: preflight failed (exit 3: no output). Fix: run this command by hand to see why: ${CHECK}`,
    ],
    [
        "a stopped local engine",
        "unix:///var/run/docker.sock",
        1,
        "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n",
        "engineUnavailable",
        "docker host unix:///var/run/docker.sock: Docker engine not running (or user not in the docker group). Fix: start Docker (sudo systemctl start docker) and add your user to the docker group (sudo usermod -aG docker $USER, then log in again).",
    ],
];

describe("diagnoseDockerHostFailure", () => {
    it.each(FAILURES)("%s", (_case, host, exitCode, output, problem, message) => {
        expect(diagnoseDockerHostFailure(host, KEY, exitCode, output)).toEqual({ problem, message });
    });
});

describe("the preflight Command's shell classifier", () => {
    /** Runs the classifier as the command provider does, with a stand-in check that prints `output` and exits. */
    function classify(host: string, exitCode: number, output: string) {
        const fakeCheck = `printf '%s' ${shellQuote(output)} >&2; exit ${exitCode}`;
        return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
            const child = execFile(
                "/bin/sh",
                ["-c", dockerHostClassifierScript(host, KEY), "webplatform-preflight", fakeCheck],
                { encoding: "utf8" },
                (_error, stdout, stderr) => resolve({ status: child.exitCode, stdout, stderr }),
            );
        });
    }

    // Each case waits on its own shell, so the cases run side by side.
    it.concurrent.for(FAILURES)(
        "says exactly what the TypeScript diagnosis says: %s",
        async ([, host, exitCode, output, , message], { expect }) => {
            expect(await classify(host, exitCode, output)).toEqual({
                status: 1,
                stdout: "",
                stderr: `${message}\n`,
            });
        },
    );

    it("prints only the engine version when the check passes, whatever ssh warned about before it", () => {
        const result = spawnSync(
            "/bin/sh",
            [
                "-c",
                dockerHostClassifierScript(HOST, KEY),
                "webplatform-preflight",
                "echo \"Warning: Permanently added '203.0.113.10' (ED25519) to the list of known hosts.\" >&2; echo 27.3.1",
            ],
            { encoding: "utf8" },
        );
        expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
            status: 0,
            stdout: "27.3.1\n",
            stderr: "",
        });
    });
});

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

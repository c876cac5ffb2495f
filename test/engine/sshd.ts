/**
 * A throwaway OpenSSH server on 127.0.0.1 for engine tests: its own host key, one authorized client key and one
 * stranger key, public-key login as root only. Sessions run on this machine, so `docker` over this SSH reaches
 * the same local engine a remote host's would.
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freeLoopbackPort } from "./docker";

const SSHD = "/usr/sbin/sshd";

export interface SshdOptions {
    /** Environment every session gets (sshd_config SetEnv), e.g. a DOCKER_HOST that leads nowhere. */
    readonly sessionEnv?: Readonly<Record<string, string>>;
}

export interface TestSshd {
    readonly port: number;
    /** Docker host address of this server: ssh://root@127.0.0.1:<port>. */
    readonly dockerHost: string;
    /** Private key whose public half is authorized. */
    readonly clientKey: string;
    /** Private key the server does not know. */
    readonly strangerKey: string;
    /** ssh options for a stack: the key, no prompts, and no known_hosts of this machine read or written. */
    sshOptions(key?: string): string[];
    /** Takes the client key out of authorized_keys (a revoked key), or puts it back. */
    authorizeClientKey(authorized: boolean): void;
    /** What sshd logged so far (for failure messages). */
    log(): string;
    /** Stops the server and removes its directory. */
    stop(): Promise<void>;
}

/** Installs openssh-server when sshd is missing (Debian), as scripts/setup.sh does. */
export function ensureOpenSshServer(): void {
    if (existsSync(SSHD) && spawnSync("which", ["ssh"]).status === 0) {
        return;
    }
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    for (const args of [
        ["update", "-qq"],
        ["install", "-y", "-qq", "--no-install-recommends", "openssh-server", "openssh-client"],
    ]) {
        const result = spawnSync("apt-get", args, { env, encoding: "utf8" });
        if (result.status !== 0) {
            throw new Error(`apt-get ${args.join(" ")} failed: ${result.stderr}`);
        }
    }
}

function keygen(path: string): void {
    const result = spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "wpssh-test", "-f", path], {
        encoding: "utf8",
    });
    if (result.status !== 0) {
        throw new Error(`ssh-keygen failed: ${result.stderr}`);
    }
}

function portAnswers(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = connect({ host: "127.0.0.1", port });
        socket.once("connect", () => {
            socket.destroy();
            resolve(true);
        });
        socket.once("error", () => resolve(false));
    });
}

/** Starts sshd in the foreground (-D) on a free loopback port and waits until it accepts connections. */
export async function startSshd(options: SshdOptions = {}): Promise<TestSshd> {
    ensureOpenSshServer();
    // sshd refuses to start without its privilege-separation directory (normally made by the init system).
    mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
    const dir = mkdtempSync(join(tmpdir(), "wpssh-sshd-"));
    const hostKey = join(dir, "host_ed25519");
    const clientKey = join(dir, "client_ed25519");
    const strangerKey = join(dir, "stranger_ed25519");
    for (const key of [hostKey, clientKey, strangerKey]) {
        keygen(key);
    }
    const authorizedKeys = join(dir, "authorized_keys");
    // sshd reads the file at every login, so changing it takes effect at once.
    const authorizeClientKey = (authorized: boolean) =>
        writeFileSync(authorizedKeys, authorized ? readFileSync(`${clientKey}.pub`) : "", { mode: 0o600 });
    authorizeClientKey(true);
    const port = await freeLoopbackPort();
    const config = [
        "ListenAddress 127.0.0.1",
        `Port ${port}`,
        `HostKey ${hostKey}`,
        `PidFile ${join(dir, "sshd.pid")}`,
        `AuthorizedKeysFile ${authorizedKeys}`,
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitRootLogin prohibit-password",
        "AllowUsers root",
        // No PAM stack to depend on; the key files live in a temp dir under world-writable /tmp.
        "UsePAM no",
        "StrictModes no",
        "LogLevel VERBOSE",
        ...Object.entries(options.sessionEnv ?? {}).map(([name, value]) => `SetEnv ${name}=${value}`),
        "",
    ].join("\n");
    const configFile = join(dir, "sshd_config");
    writeFileSync(configFile, config);
    const logFile = join(dir, "sshd.log");
    const logFd = openSync(logFile, "a");
    let child: ChildProcess;
    try {
        child = spawn(SSHD, ["-D", "-e", "-f", configFile], { stdio: ["ignore", logFd, logFd] });
    } finally {
        closeSync(logFd);
    }
    const log = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");
    let exited = false;
    const exitedPromise = new Promise<void>((resolve) =>
        child.once("exit", () => {
            exited = true;
            resolve();
        }),
    );
    for (let attempt = 0; !(await portAnswers(port)); attempt++) {
        if (exited || attempt > 100) {
            child.kill("SIGTERM");
            throw new Error(`sshd did not start on 127.0.0.1:${port}:\n${log()}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const sshOptions = (key: string = clientKey) => [
        "-i",
        key,
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "LogLevel=ERROR",
    ];
    return {
        port,
        dockerHost: `ssh://root@127.0.0.1:${port}`,
        clientKey,
        strangerKey,
        sshOptions,
        authorizeClientKey,
        log,
        async stop() {
            if (!exited) {
                child.kill("SIGTERM");
                await Promise.race([exitedPromise, new Promise((resolve) => setTimeout(resolve, 5000))]);
            }
            rmSync(dir, { recursive: true, force: true });
        },
    };
}

import { NodeRequire, nodeScriptInterpreter } from "./nodeScript";
import { shellCommand } from "./shell";

/**
 * The environment variable that hands the probe the stack's TLS certificate (PEM), the one certificate it trusts
 * beside Node's bundled roots. It is not a secret; the variable keeps it out of the script text and process lists.
 */
export const WEBSOCKET_PROBE_CA_VARIABLE = "WEBPLATFORM_SMOKE_CHECK_CA";

/** One round trip, with every default filled in (schemas/websocketProbe.ts). */
export interface WebsocketProbe {
    /** Path opened through nginx, e.g. "/ws/jobs/". */
    readonly path: string;
    /** Text message sent once the socket is open. */
    readonly send: string;
    /** Text a message from the server must contain. */
    readonly expect: string;
    /** Seconds from opening the socket to the answer. */
    readonly timeoutSeconds: number;
}

/** What the probe process is given: where nginx is and which round trips to make, in order. */
export interface WebsocketProbeRun {
    /** The nginx container; the probe reaches its TLS port through `docker exec`, as the other checks do. */
    readonly proxyContainer: string;
    /** TLS port nginx listens on inside its container. */
    readonly proxyHttpsPort: number;
    /** Host and SNI of the probe (the public domain). */
    readonly domain: string;
    readonly probes: readonly WebsocketProbe[];
    /** Name of the variable holding the certificate to trust (WEBSOCKET_PROBE_CA_VARIABLE). */
    readonly caVariable: string;
}

/**
 * The probe process: Node's built-in WebSocket client (undici) makes each round trip over TLS to nginx, with the
 * stack's domain as Host and SNI and the stack's certificate trusted (verification stays on). nginx is reached
 * through a tunnel: a listener on 127.0.0.1 of the deploy machine whose every connection is piped through
 * `docker exec -i <nginx> bash` to nginx's own TLS port, so it works for a remote engine as the curl checks do; the
 * domain resolves to that listener in this process only. One `ok:` line per round trip on stdout; the first failure
 * prints `smoke check failed: WebSocket <path>: ...` with what came back, and exits 1.
 * Self-contained (see nodeScriptInterpreter): this text is what the smoke step runs.
 */
export function websocketProbeMain(require: NodeRequire, run: WebsocketProbeRun): void {
    const net = require("node:net") as typeof import("node:net");
    const tls = require("node:tls") as typeof import("node:tls");
    const dns = require("node:dns") as typeof import("node:dns");
    const https = require("node:https") as typeof import("node:https");
    const crypto = require("node:crypto") as typeof import("node:crypto");
    const { spawn } = require("node:child_process") as typeof import("node:child_process");
    type Child = import("node:child_process").ChildProcessWithoutNullStreams;

    const shown = (text: string) => JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
    const failed = (path: string, problem: string) => {
        process.stderr.write(`smoke check failed: WebSocket ${path}: ${problem}\n`);
        process.exitCode = 1;
    };
    const certificate = process.env[run.caVariable];
    if (typeof tls.setDefaultCACertificates !== "function" || typeof WebSocket !== "function") {
        failed(
            run.probes[0].path,
            `node ${process.version} has no WebSocket client or CA setting; use Node.js 22.19 or newer.`,
        );
        return;
    }
    if (!certificate) {
        failed(run.probes[0].path, `no certificate to trust in ${run.caVariable}.`);
        return;
    }
    // The stack's certificate, and the public roots a CA-issued chain ends in; nothing else, and never unverified.
    try {
        tls.setDefaultCACertificates([...tls.getCACertificates("bundled"), certificate]);
    } catch (error) {
        failed(
            run.probes[0].path,
            `the certificate in ${run.caVariable} cannot be read (${(error as Error).message}).`,
        );
        return;
    }

    // Like curl's --resolve: the domain is the tunnel's listener, for this process only.
    const systemLookup = dns.lookup;
    (dns as { lookup: unknown }).lookup = (hostname: string, options: unknown, callback?: unknown) => {
        const done = (typeof options === "function" ? options : callback) as (...args: unknown[]) => void;
        const settings = (typeof options === "object" && options !== null ? options : {}) as { all?: boolean };
        if (hostname !== run.domain) {
            return (systemLookup as (...args: unknown[]) => void).call(dns, hostname, options, callback);
        }
        return settings.all ? done(null, [{ address: "127.0.0.1", family: 4 }]) : done(null, "127.0.0.1", 4);
    };

    // Inside nginx: a TCP connection to its TLS port on fd 3, copied both ways until either side ends.
    const tunnel = `exec 3<>/dev/tcp/127.0.0.1/${run.proxyHttpsPort} || exit 1; cat <&3 & cat >&3 & wait -n; kill $(jobs -p) 2>/dev/null; exit 0`;
    const children: Child[] = [];
    // What docker said about the tunnels, each line once (the diagnosis opens a second one).
    const tunnelErrors = new Set<string>();
    const noteTunnelError = (text: string) =>
        text
            .split("\n")
            .map((line) => line.trim())
            .filter((line) => line !== "")
            .forEach((line) => tunnelErrors.add(line));
    const server = net.createServer((client) => {
        const child = spawn("docker", ["exec", "-i", run.proxyContainer, "bash", "-c", tunnel]);
        children.push(child);
        child.stderr.on("data", (data: Buffer) => noteTunnelError(data.toString()));
        client.pipe(child.stdin);
        child.stdout.pipe(client);
        child.on("error", (error) => {
            noteTunnelError(error.message);
            client.destroy();
        });
        child.on("close", () => client.destroy());
        client.on("error", () => child.stdin.destroy());
        child.stdin.on("error", () => client.destroy());
    });

    /** Why an upgrade failed: the status nginx answered, or the TLS or connection error (undici says neither). */
    const upgradeAnswer = (port: number, path: string) =>
        new Promise<string>((resolve) => {
            const request = https.request({
                host: run.domain,
                port,
                path,
                servername: run.domain,
                headers: {
                    Host: run.domain,
                    Connection: "Upgrade",
                    Upgrade: "websocket",
                    "Sec-WebSocket-Version": "13",
                    "Sec-WebSocket-Key": crypto.randomBytes(16).toString("base64"),
                },
                timeout: 10_000,
            });
            request.on("response", (response) => {
                resolve(`the upgrade was answered ${response.statusCode} instead of 101`);
                response.resume();
            });
            request.on("upgrade", (_response, socket) => {
                resolve("the upgrade was refused, and answered 101 on a second try");
                socket.destroy();
            });
            request.on("timeout", () => request.destroy(new Error("no answer to the upgrade in 10 s")));
            request.on("error", (error) => {
                const tunnel = [...tunnelErrors].join("; ");
                resolve(`the upgrade failed: ${error.message}${tunnel ? ` (docker exec: ${tunnel})` : ""}`);
            });
            request.end();
        });

    /** One round trip; resolves to the problem, or to undefined after printing its ok line. */
    const roundTrip = (port: number, probe: WebsocketProbe) =>
        new Promise<string | undefined>((resolve) => {
            const received: string[] = [];
            let opened = false;
            let settled = false;
            const socket = new WebSocket(`wss://${run.domain}:${port}${probe.path}`);
            socket.binaryType = "arraybuffer";
            const heard = () =>
                received.length === 0
                    ? "nothing came back"
                    : `it sent ${received.length} message(s), the last ${shown(received[received.length - 1])}`;
            const settle = (problem: string | undefined) => {
                if (settled) return;
                settled = true;
                clearTimeout(timer);
                if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
                    socket.close(1000);
                }
                resolve(problem);
            };
            const timer = setTimeout(
                () =>
                    settle(
                        opened
                            ? `sent ${shown(probe.send)}, but no answer containing ${shown(probe.expect)} came within ${probe.timeoutSeconds} s; ${heard()}.`
                            : `did not open within ${probe.timeoutSeconds} s.`,
                    ),
                probe.timeoutSeconds * 1000,
            );
            socket.addEventListener("open", () => {
                opened = true;
                socket.send(probe.send);
            });
            socket.addEventListener("message", (event) => {
                const data = event.data as string | ArrayBuffer;
                const text = typeof data === "string" ? data : Buffer.from(data).toString("utf8");
                received.push(text);
                if (text.includes(probe.expect)) {
                    process.stdout.write(
                        `ok: WebSocket ${probe.path} round trip: sent ${shown(probe.send)}, the answer ${shown(text)} contains ${shown(probe.expect)}\n`,
                    );
                    settle(undefined);
                }
            });
            // A refused upgrade may end in "error" with no "close"; undici names neither the status nor the cause.
            let diagnosing = false;
            const refused = () => {
                if (settled || opened || diagnosing) return;
                diagnosing = true;
                void upgradeAnswer(port, probe.path).then(settle);
            };
            socket.addEventListener("error", refused);
            socket.addEventListener("close", (event) => {
                if (settled) return;
                if (!opened) {
                    refused();
                    return;
                }
                const reason = event.reason ? ` "${event.reason}"` : "";
                settle(
                    `sent ${shown(probe.send)}, but the server closed the socket (code ${event.code}${reason}) before an answer containing ${shown(probe.expect)}; ${heard()}.`,
                );
            });
        });

    server.listen(0, "127.0.0.1", () => {
        const address = server.address() as import("node:net").AddressInfo;
        void (async () => {
            for (const probe of run.probes) {
                const problem = await roundTrip(address.port, probe);
                if (problem !== undefined) {
                    failed(probe.path, problem);
                    break;
                }
            }
            server.close();
            for (const child of children) child.kill();
        })();
    });
}

/** The smoke-script line that makes the round trips: node running websocketProbeMain, its failure ending the script. */
export function websocketProbeLine(run: Omit<WebsocketProbeRun, "caVariable">): string {
    return `${shellCommand(nodeScriptInterpreter(websocketProbeMain, { ...run, caVariable: WEBSOCKET_PROBE_CA_VARIABLE }))} || exit 1`;
}

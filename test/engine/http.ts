import { request } from "node:https";
import { connect } from "node:tls";
import { request as httpRequest } from "node:http";

export interface HttpAnswer {
    readonly status: number;
    readonly headers: Record<string, string | string[] | undefined>;
    /** Header names and values as received, in order, duplicates kept (`headers` merges or drops them). */
    readonly rawHeaders?: readonly string[];
    readonly body: string;
}

/** HTTPS to 127.0.0.1 with the platform's Host header; the dev certificate is self-signed, so it is not verified. */
export function https(
    port: number,
    path: string,
    options: {
        method?: string;
        body?: string;
        host?: string;
        headers?: Record<string, string>;
        timeoutMs?: number;
    } = {},
): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
        const req = request(
            {
                host: "127.0.0.1",
                port,
                path,
                method: options.method ?? "GET",
                servername: options.host ?? "localhost",
                headers: {
                    Host: options.host ?? "localhost",
                    "Content-Type": "application/json",
                    ...(options.headers ?? {}),
                },
                rejectUnauthorized: false,
                timeout: options.timeoutMs ?? 10000,
            },
            (res) => {
                let body = "";
                res.setEncoding("utf8");
                res.on("data", (chunk) => (body += chunk));
                res.on("end", () =>
                    resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body }),
                );
            },
        );
        req.on("error", reject);
        req.end(options.body);
    });
}

/** Plain HTTP to 127.0.0.1 (to see the redirect). */
export function http(port: number, path: string): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
        const req = httpRequest(
            { host: "127.0.0.1", port, path, headers: { Host: "localhost" }, timeout: 10000 },
            (res) => {
                res.resume();
                res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: "" }));
            },
        );
        req.on("error", reject);
        req.end();
    });
}

/**
 * Opens a WebSocket over TLS with a raw handshake, sends one masked text frame and returns the status line and
 * the echoed text (no WebSocket library needed).
 */
export function websocketEcho(
    port: number,
    path: string,
    message: string,
): Promise<{ statusLine: string; echoed: string }> {
    return new Promise((resolve, reject) => {
        const socket = connect({ host: "127.0.0.1", port, servername: "localhost", rejectUnauthorized: false }, () => {
            socket.write(
                [
                    `GET ${path} HTTP/1.1`,
                    "Host: localhost",
                    "Upgrade: websocket",
                    "Connection: Upgrade",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                    "Sec-WebSocket-Version: 13",
                    "",
                    "",
                ].join("\r\n"),
            );
        });
        let buffer = Buffer.alloc(0);
        let statusLine = "";
        const timer = setTimeout(() => {
            socket.destroy();
            reject(new Error(`no WebSocket echo; got ${JSON.stringify(buffer.toString("latin1"))}`));
        }, 10000);
        socket.on("data", (chunk) => {
            buffer = Buffer.concat([buffer, chunk]);
            if (!statusLine) {
                const end = buffer.indexOf("\r\n\r\n");
                if (end === -1) return;
                statusLine = buffer.subarray(0, buffer.indexOf("\r\n")).toString("latin1");
                buffer = buffer.subarray(end + 4);
                const payload = Buffer.from(message, "utf8");
                const mask = Buffer.from([1, 2, 3, 4]);
                const masked = Buffer.from(payload.map((byte, index) => byte ^ mask[index % 4]));
                socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]));
            }
            // An unmasked server text frame shorter than 126 bytes: 0x81, length, payload.
            if (buffer.length >= 2 && buffer.length >= 2 + (buffer[1] & 0x7f)) {
                clearTimeout(timer);
                const echoed = buffer.subarray(2, 2 + (buffer[1] & 0x7f)).toString("utf8");
                socket.destroy();
                resolve({ statusLine, echoed });
            }
        });
        socket.on("error", (error) => {
            clearTimeout(timer);
            reject(error);
        });
    });
}

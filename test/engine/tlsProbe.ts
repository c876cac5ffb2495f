import { spawnSync } from "node:child_process";

/** What `openssl s_client` saw of one handshake with 127.0.0.1. */
export interface TlsProbe {
    /** The protocol and suite agreed on, e.g. "TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256"; undefined when refused. */
    readonly negotiated?: string;
    /** The ALPN protocol agreed on, e.g. "h2". */
    readonly alpn?: string;
    /** The server sent a session ticket. */
    readonly ticket: boolean;
    /** The server refused with an alert (protocol version, handshake failure), rather than this client. */
    readonly refusedByServer: boolean;
    /** stdout and stderr together, for a failure's message. */
    readonly output: string;
}

/**
 * One handshake by the host's openssl against 127.0.0.1:port with SNI `serverName`; `options` are s_client's (e.g.
 * ["-tls1_2", "-cipher", "AES128-GCM-SHA256:@SECLEVEL=0"]; @SECLEVEL=0 lets the client offer old suites, so a
 * refusal is the server's). Bounded by a 10-second limit; stdin is empty, so s_client ends after the handshake.
 */
export function tlsProbe(port: number, serverName: string, options: readonly string[]): TlsProbe {
    const result = spawnSync(
        "openssl",
        ["s_client", "-connect", `127.0.0.1:${port}`, "-servername", serverName, ...options],
        { encoding: "utf8", input: "", timeout: 10_000 },
    );
    const output = `${result.stdout}${result.stderr}`;
    const negotiated = /^New, (TLSv[\d.]+), Cipher is (\S+)$/m.exec(output);
    return {
        negotiated: negotiated ? `${negotiated[1]} ${negotiated[2]}` : undefined,
        alpn: /^ALPN protocol: (\S+)$/m.exec(output)?.[1],
        ticket: /TLS session ticket lifetime hint/.test(output),
        refusedByServer: !negotiated && /alert (protocol version|handshake failure)/.test(output),
        output,
    };
}

import { beforeAll, describe, expect, it } from "vitest";
import { TYPES } from "../lib/guard";
import { PlatformFixture, platformFixture } from "./fixtures";
import { UNKNOWN, runResourcePolicy, withChange } from "./harness";
import { envValue, resourcePolicy, setEnv } from "./helpers";

/** proxy-tls-and-hosts from the configuration the Nginx component renders, changed one directive at a time. */
const policy = resourcePolicy("proxy-tls-and-hosts");
const P = 'Container "thebot-nginx-server" breaks proxy-tls-and-hosts: envs.NGINX_CONFIG:';
const TLS_FIX =
    "Fix: set `ssl_protocols TLSv1.2 TLSv1.3;`, `ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;` and `ssl_session_tickets off;` in the http block (the Nginx component does this).";
const HOST_FIX =
    "Fix: add default servers for each port that answer unknown names with `return 444;` (plain HTTP) and `return 421;` or `ssl_reject_handshake on;` (HTTPS), and give the site's servers its server_name.";

describe("proxy-tls-and-hosts", () => {
    let nginx: Record<string, unknown>;
    let config: string;
    beforeAll(async () => {
        const fixture: PlatformFixture = await platformFixture();
        nginx = fixture.named("thebot-nginx-server").props;
        config = envValue(fixture.named("thebot-nginx-server"), "NGINX_CONFIG")!;
    });

    const run = (props: Record<string, unknown>) =>
        runResourcePolicy(policy, { type: TYPES.container, name: "thebot-nginx-server", props }).violations;
    const edited = (edit: (text: string) => string) => {
        const text = edit(config);
        expect(text).not.toBe(config);
        return run(withChange(nginx, (props) => setEnv(props, "NGINX_CONFIG", text)));
    };

    it("accepts the configuration the Nginx component renders", () => {
        expect(run(nginx)).toEqual([]);
    });

    it.each([
        [
            "TLS 1.1 allowed",
            (text: string) => text.replace("ssl_protocols TLSv1.2 TLSv1.3;", "ssl_protocols TLSv1.1 TLSv1.2 TLSv1.3;"),
            "allows protocols older than TLS 1.2: TLSv1.1.",
        ],
        [
            "no ssl_protocols (nginx's default)",
            (text: string) => text.replace("ssl_protocols TLSv1.2 TLSv1.3;", ""),
            "allows protocols older than TLS 1.2: nginx's default (TLSv1 and TLSv1.1 before 1.23.4).",
        ],
        [
            "a CBC-SHA1 suite added",
            (text: string) => text.replace("ssl_ciphers ", "ssl_ciphers ECDHE-RSA-AES128-SHA:"),
            "allows TLS 1.2 suites that are not forward-secret AEAD suites: ECDHE-RSA-AES128-SHA.",
        ],
        [
            "a cipher class instead of the list",
            (text: string) => text.replace(/ssl_ciphers [^;]+;/, "ssl_ciphers HIGH:!aNULL:!MD5;"),
            "allows TLS 1.2 suites that are not forward-secret AEAD suites: HIGH, !aNULL, !MD5.",
        ],
        [
            "session tickets on",
            (text: string) => text.replace("ssl_session_tickets off;", "ssl_session_tickets on;"),
            "issues TLS session tickets, whose key decrypts every recorded session that used it.",
        ],
    ])("reports %s", (_case, edit, problem) => {
        expect(edited(edit)).toEqual([`${P} ${problem} ${TLS_FIX}`]);
    });

    it("reads a server's own ssl_* directive over the http block's", () => {
        expect(
            edited((text) =>
                text.replace("listen 8443 ssl http2;", "listen 8443 ssl http2;\n        ssl_protocols TLSv1 TLSv1.2;"),
            ),
        ).toEqual([`${P} allows protocols older than TLS 1.2: TLSv1. ${TLS_FIX}`]);
    });

    it("reports a default server that redirects any Host, as nginx's first server for a port is", () => {
        const noDefault = (text: string) =>
            text
                .replace(/ {4}server \{\n {8}listen 8080 default_server;\n {8}return 444;\n {4}\}\n/, "")
                .replace(/ {4}server \{\n {8}listen 8443 ssl http2 default_server;\n[\s\S]*?return 421;\n {4}\}\n/, "");
        expect(edited(noDefault)).toEqual([
            `${P} answers any Host name on port 8080: its default server serves or redirects names that are not the site's. ${HOST_FIX}`,
            `${P} answers any Host name on port 8443: its default server serves or redirects names that are not the site's. ${HOST_FIX}`,
        ]);
    });

    it("accepts ssl_reject_handshake in place of a 421", () => {
        expect(edited((text) => text.replace("return 421;", "ssl_reject_handshake on;"))).toEqual([]);
    });

    it("reports a default server that serves content", () => {
        expect(edited((text) => text.replace("return 444;", "root /srv;"))).toEqual([
            `${P} answers any Host name on port 8080: its default server serves or redirects names that are not the site's. ${HOST_FIX}`,
        ]);
    });

    /** The site's name as the component writes it (server_name in both site servers), replaced by `name`. */
    const servedAs = (name: string) => (text: string) =>
        text.replaceAll("server_name thebot.example.com;", `server_name ${name};`);
    const SITE_NAME_FIX =
        "Fix: serve the site under its public host name: set server_name to it (the Nginx component writes the stack's webplatform:domain there), e.g. app.example.com.";

    it.each(["localhost", "LocalHost.", "127.0.0.1", "127.1", "[::1]", "0.0.0.0", "app.localhost", "*.localhost"])(
        "reports the site served as %s, a name of this machine (the program's loopback-domain rule)",
        (name) => {
            expect(edited(servedAs(name))).toEqual([
                `${P} "${name}" names this machine, so no client elsewhere can reach the site and its certificate cannot be trusted. ${SITE_NAME_FIX}`,
            ]);
        },
    );

    it("reports each loopback name once beside the public one, and ignores the default servers' catch-all", () => {
        expect(edited(servedAs("thebot.example.com localhost"))).toEqual([
            `${P} "localhost" names this machine, so no client elsewhere can reach the site and its certificate cannot be trusted. ${SITE_NAME_FIX}`,
        ]);
        // A refusing default server may name anything: it serves nothing.
        expect(
            edited((text) =>
                text.replace(
                    "listen 8080 default_server;",
                    "listen 8080 default_server;\n        server_name localhost;",
                ),
            ),
        ).toEqual([]);
    });

    it("leaves an unknown configuration to proxy-security-headers", () => {
        expect(run({ ...nginx, envs: UNKNOWN })).toEqual([]);
        expect(run(withChange(nginx, (props) => setEnv(props, "NGINX_CONFIG", "http {")))).toEqual([]);
    });
});

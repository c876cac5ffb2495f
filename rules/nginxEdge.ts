import { Finding } from "./finding";
import { NginxDirective, parseNginxConfig } from "./nginxTree";
import { loopbackSiteNameFindings } from "./siteName";
import { TLS12_CIPHERS, TLS_PROTOCOLS, weakTls12Ciphers, weakTlsProtocols } from "./tlsProfile";

/**
 * What the proxy-tls-and-hosts guard requires of an nginx configuration, read from its directive tree the way nginx
 * applies it (a server's own ssl_* directive wins over the http block's, nginx's default applies when neither sets
 * one): the TLS profile of rules/tlsProfile.ts on every HTTPS server, and default servers that refuse unknown Host
 * names instead of serving or redirecting them. The Nginx component renders exactly this (components/nginxConfig.ts).
 */

const TLS_FIX = `set \`ssl_protocols ${TLS_PROTOCOLS.join(" ")};\`, \`ssl_ciphers ${TLS12_CIPHERS.join(":")};\` and \`ssl_session_tickets off;\` in the http block (the Nginx component does this).`;
const HOST_FIX =
    "add default servers for each port that answer unknown names with `return 444;` (plain HTTP) and `return 421;` or `ssl_reject_handshake on;` (HTTPS), and give the site's servers its server_name.";

const own = (block: readonly NginxDirective[], name: string) => block.find((item) => item.name === name)?.args;

const isHttps = (server: readonly NginxDirective[]) =>
    server.some((item) => item.name === "listen" && item.args.includes("ssl"));

/** The port of a listen directive's first word ("8443", "127.0.0.1:8443", "[::]:443"); 80 when it names none. */
function listenPort(args: readonly string[]): string {
    const address = args[0] ?? "80";
    const port = /:(\d+)$/.exec(address)?.[1] ?? (/^\d+$/.test(address) ? address : "80");
    return port;
}

/** True when a server serves nothing for the names it gets: it refuses (444/4xx) or rejects the TLS handshake. */
function refusesEverything(server: readonly NginxDirective[]): boolean {
    const serves = server.some(
        (item) => item.block !== undefined || ["proxy_pass", "root", "alias", "try_files"].includes(item.name),
    );
    const refuses =
        server.some((item) => item.name === "return" && item.args.length === 1 && /^4\d\d$/.test(item.args[0])) ||
        own(server, "ssl_reject_handshake")?.[0] === "on";
    return refuses && !serves;
}

function tlsFindings(key: string, http: readonly NginxDirective[], servers: readonly NginxDirective[][]): Finding[] {
    const problems = new Set<string>();
    for (const server of servers.filter(isHttps)) {
        const effective = (name: string) => own(server, name) ?? own(http, name);
        const protocols = effective("ssl_protocols");
        const weakProtocols =
            protocols === undefined
                ? ["nginx's default (TLSv1 and TLSv1.1 before 1.23.4)"]
                : weakTlsProtocols(protocols);
        if (weakProtocols.length > 0) {
            problems.add(`allows protocols older than TLS 1.2: ${weakProtocols.join(", ")}`);
        }
        const ciphers = effective("ssl_ciphers");
        const weak =
            ciphers === undefined
                ? ["nginx's default (HIGH:!aNULL:!MD5, with CBC and non-forward-secret suites)"]
                : weakTls12Ciphers(ciphers.join(":").split(":"));
        if (weak.length > 0) {
            problems.add(`allows TLS 1.2 suites that are not forward-secret AEAD suites: ${weak.join(", ")}`);
        }
        if (effective("ssl_session_tickets")?.[0] !== "off") {
            problems.add("issues TLS session tickets, whose key decrypts every recorded session that used it");
        }
    }
    return [...problems].map((problem) => ({ key, problem: `${problem}.`, fix: TLS_FIX }));
}

function hostFindings(key: string, servers: readonly NginxDirective[][]): Finding[] {
    // nginx's default server for a port: the one marked default_server, else the first that listens on it.
    const defaults = new Map<string, readonly NginxDirective[]>();
    for (const server of servers) {
        for (const listen of server.filter((item) => item.name === "listen")) {
            const port = listenPort(listen.args);
            if (listen.args.includes("default_server") || !defaults.has(port)) {
                defaults.set(port, server);
            }
        }
    }
    return [...defaults.entries()]
        .filter(([, server]) => !refusesEverything(server))
        .map(([port]) => ({
            key,
            problem: `answers any Host name on port ${port}: its default server serves or redirects names that are not the site's.`,
            fix: HOST_FIX,
        }));
}

const SITE_NAME_FIX =
    "serve the site under its public host name: set server_name to it (the Nginx component writes the stack's webplatform:domain there), e.g. app.example.com.";

/**
 * The names the site's servers answer: every server_name of a server that serves (not a refusing default server),
 * without nginx's catch-all `_`, the empty name and regular expressions (`~...`), which name no host.
 */
export function siteServerNames(servers: readonly (readonly NginxDirective[])[]): string[] {
    return servers
        .filter((server) => !refusesEverything(server))
        .flatMap((server) => server.filter((item) => item.name === "server_name").flatMap((item) => item.args))
        .filter((name) => name !== "_" && name !== "" && !name.startsWith("~"));
}

/** Findings for an nginx configuration's TLS profile, its handling of unknown Host names and its site's names. */
export function nginxEdgeFindings(key: string, tree: readonly NginxDirective[]): Finding[] {
    const http = tree.find((item) => item.name === "http" && item.block)?.block ?? tree;
    const servers = http.filter((item) => item.name === "server" && item.block).map((item) => [...item.block!]);
    return [
        ...tlsFindings(key, http, servers),
        ...hostFindings(key, servers),
        ...loopbackSiteNameFindings(key, siteServerNames(servers), SITE_NAME_FIX),
    ];
}

/** The same for configuration text; text nginx cannot read is proxy-security-headers' finding, not this one's. */
export function nginxEdgeTextFindings(key: string, text: string): Finding[] {
    try {
        return nginxEdgeFindings(key, parseNginxConfig(text));
    } catch {
        return [];
    }
}

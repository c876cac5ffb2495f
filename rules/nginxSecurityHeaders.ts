import { Finding } from "./finding";
import { NginxDirective, parseNginxConfig } from "./nginxTree";
import { HeaderPolicy, Headers, headerProblems } from "./securityHeaders";

/**
 * Checks the security headers an nginx configuration sends on HTTPS responses. It reads the configuration the
 * way nginx does: `add_header` directives are inherited from the enclosing level only when a level has none of
 * its own, so one `add_header` in a `location` silently drops every server-level header there.
 */

/** Headers a level sets itself with add_header (or more_set_headers), lower-cased names; undefined if none. */
function ownHeaders(block: readonly NginxDirective[]): Headers | undefined {
    const headers = new Map<string, string>();
    for (const directive of block) {
        if (directive.name === "add_header" && directive.args.length >= 2) {
            headers.set(directive.args[0].toLowerCase(), directive.args[1]);
        } else if (directive.name === "more_set_headers") {
            for (const arg of directive.args.filter((item) => !item.startsWith("-"))) {
                const colon = arg.indexOf(":");
                if (colon > 0) {
                    headers.set(arg.slice(0, colon).trim().toLowerCase(), arg.slice(colon + 1).trim());
                }
            }
        }
    }
    return headers.size > 0 || block.some((directive) => directive.name === "add_header") ? headers : undefined;
}

function isHttpsServer(server: readonly NginxDirective[]): boolean {
    return server.some(
        (directive) =>
            (directive.name === "listen" && directive.args.some((arg) => arg === "ssl" || arg === "quic")) ||
            (directive.name === "ssl" && directive.args[0] === "on"),
    );
}

function serverLabel(server: readonly NginxDirective[]): string {
    const listen = server.find((directive) => directive.name === "listen");
    return `server listening on ${listen ? listen.args.join(" ") : "the default port"}`;
}

/** True when a plain-HTTP server only redirects (return 301/302/307/308 https://...) and serves nothing itself. */
function onlyRedirectsToHttps(server: readonly NginxDirective[]): boolean {
    const serves = (block: readonly NginxDirective[]): boolean =>
        block.some(
            (directive) =>
                ["proxy_pass", "root", "alias", "fastcgi_pass", "uwsgi_pass", "grpc_pass", "try_files"].includes(
                    directive.name,
                ) ||
                (directive.name === "return" &&
                    !(/^30[1278]$/.test(directive.args[0] ?? "") && /^https:\/\//.test(directive.args[1] ?? ""))) ||
                (directive.block !== undefined && serves(directive.block)),
        );
    const redirects = server.some(
        (directive) =>
            directive.name === "return" &&
            /^30[1278]$/.test(directive.args[0] ?? "") &&
            /^https:\/\//.test(directive.args[1] ?? ""),
    );
    return redirects && !serves(server);
}

/**
 * Findings for an nginx configuration: every HTTPS server and each of its locations must end up sending HSTS
 * (at least the minimum max-age, with includeSubDomains), nosniff, X-Frame-Options and a Referrer-Policy; plain-HTTP
 * servers may only redirect to HTTPS. `key` names where the configuration came from, e.g. "envs.NGINX_CONFIG".
 */
export function nginxSecurityHeaderFindings(key: string, configText: string, policy: HeaderPolicy): Finding[] {
    let directives: NginxDirective[];
    try {
        directives = parseNginxConfig(configText);
    } catch (error) {
        return [
            {
                key,
                problem: `is not a configuration nginx can read: ${(error as Error).message}.`,
                fix: "render the configuration with renderNginxConfig (components/nginxConfig.ts) or correct its syntax.",
            },
        ];
    }
    const http = directives.find((directive) => directive.name === "http" && directive.block);
    const httpBlock = http?.block ?? directives;
    const httpHeaders = ownHeaders(httpBlock);
    const servers = httpBlock.filter((directive) => directive.name === "server" && directive.block);
    const findings: Finding[] = [];
    const problemsAt = new Map<string, string[]>();
    const note = (problem: string, where: string) => {
        const places = problemsAt.get(problem) ?? [];
        places.push(where);
        problemsAt.set(problem, places);
    };

    const httpsServers = servers.filter((server) => isHttpsServer(server.block!));
    if (httpsServers.length === 0) {
        findings.push({
            key,
            problem: "has no server that listens with ssl, so nothing is served over HTTPS and HSTS cannot apply.",
            fix: "terminate TLS in nginx (listen ... ssl with a certificate) and redirect plain HTTP to HTTPS.",
        });
    }
    for (const server of servers) {
        const block = server.block!;
        if (!isHttpsServer(block)) {
            if (!onlyRedirectsToHttps(block)) {
                findings.push({
                    key,
                    problem: `has a plain-HTTP ${serverLabel(block)} that serves content instead of redirecting to HTTPS.`,
                    fix: "make the plain-HTTP server only `return 301 https://$host$request_uri;`.",
                });
            }
            continue;
        }
        const serverHeaders = ownHeaders(block) ?? httpHeaders ?? new Map<string, string>();
        const label = serverLabel(block);
        headerProblems(serverHeaders, policy).forEach((problem) => note(problem, label));
        const visit = (inner: readonly NginxDirective[], inherited: Headers, where: string) => {
            for (const directive of inner) {
                if ((directive.name === "location" || directive.name === "if") && directive.block) {
                    const place = `${where} > ${directive.name} ${directive.args.join(" ")}`;
                    const effective = ownHeaders(directive.block) ?? inherited;
                    if (effective !== inherited) {
                        headerProblems(effective, policy).forEach((problem) => note(problem, place));
                    }
                    visit(directive.block, effective, place);
                }
            }
        };
        visit(block, serverHeaders, label);
    }
    for (const [problem, places] of problemsAt) {
        const shown = places.slice(0, 3).join("; ");
        const more = places.length > 3 ? ` and ${places.length - 3} more` : "";
        findings.push({
            key,
            problem: `${problem} in ${shown}${more}.`,
            fix: "add the header with `add_header ... always;` at server level and repeat every security header in any location that has add_header of its own (renderNginxConfig does this).",
        });
    }
    return findings;
}

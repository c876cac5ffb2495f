import { NginxDirective, blockDirective, directive, serializeNginxConfig } from "../rules/nginxTree";
import {
    HeaderList,
    SecurityHeaderSettings,
    UPLOADS_PATH,
    securityHeaders,
    uploadHeaders,
} from "../rules/securityHeaders";
import { TLS12_CIPHERS, TLS_CURVES, TLS_PROTOCOLS } from "../rules/tlsProfile";

/** Docker's embedded DNS server, present in every container on a user-defined network. */
export const DOCKER_DNS = "127.0.0.11";

/** Answered by nginx itself, so its healthcheck does not depend on the application. */
export const NGINX_HEALTH_PATH = "/nginx-health";

/** Seconds nginx waits for an app container to accept a connection before trying the next address. */
export const UPSTREAM_CONNECT_TIMEOUT_SECONDS = 1;

/** A path prefix nginx forwards to an upstream service on the private network. */
export interface ProxyRoute {
    /** Path prefix, e.g. "/api/"; one word of the location (quoted when it needs to be), so always a prefix. */
    readonly path: string;
    /** host:port on the private network, e.g. "backend:8000". */
    readonly upstream: string;
    /** Pass WebSocket upgrades through (long read timeout, Upgrade/Connection headers). */
    readonly websocket?: boolean;
}

export interface NginxSiteSettings {
    /** Public host name(s) for server_name. */
    readonly serverNames: readonly string[];
    /** Container port for plain HTTP (redirects only). */
    readonly httpPort: number;
    /** Container port for HTTPS. */
    readonly httpsPort: number;
    /** Public HTTPS port, when not 443, so redirects keep it. */
    readonly publicHttpsPort: number;
    readonly certificatePath: string;
    readonly keyPath: string;
    readonly routes: readonly ProxyRoute[];
    /** Where `/` is served from: static files of a single-page app, or the first route's upstream. */
    readonly rootDirectory?: string;
    /** Directory of collected static files served at /static/. */
    readonly staticDirectory?: string;
    /** Directory of uploaded media served at /media/. */
    readonly mediaDirectory?: string;
    /** HSTS, preload and Content-Security-Policy of every HTTPS response. */
    readonly headers: SecurityHeaderSettings;
    readonly clientMaxBodySizeMb: number;
    /** Requests per second per client address on proxied routes. */
    readonly rateLimitPerSecond: number;
    readonly rateLimitBurst: number;
}

/** Headers sent on every response (`always`, so error pages too) of the level they are added to. */
function addHeaders(headers: HeaderList): NginxDirective[] {
    return headers.map(([name, value]) => directive("add_header", name, value, "always"));
}

const headerDirectives = (settings: SecurityHeaderSettings) => addHeaders(securityHeaders(settings));

/**
 * The platform owns its security headers: the upstream's own copies of them (Django's SecurityMiddleware sends
 * X-Frame-Options, X-Content-Type-Options, Referrer-Policy and HSTS) are dropped, so each reaches the client once,
 * with the platform's value. Headers outside the table are the application's and pass through.
 */
function upstreamSecurityHeadersHidden(settings: SecurityHeaderSettings): NginxDirective[] {
    return securityHeaders(settings).map(([name]) => directive("proxy_hide_header", name));
}

function proxyLocation(route: ProxyRoute, settings: NginxSiteSettings): NginxDirective {
    return blockDirective(
        "location",
        [route.path],
        [
            directive("limit_req", "zone=perclient", `burst=${settings.rateLimitBurst}`, "nodelay"),
            // A variable makes nginx resolve the name per request (through Docker's DNS) instead of once at start,
            // so replaced app containers, which get new addresses, are reached without restarting nginx.
            directive("set", "$upstream", route.upstream),
            directive("proxy_pass", "http://$upstream"),
            // During a rollout the service name resolves to old and new containers. A container that does not
            // accept yet (starting) or any more (draining, removed) fails the connect fast, and the request goes to
            // the next address (each address once, within 10 s); a request already sent is retried only when it is
            // idempotent (nginx's rule).
            directive("proxy_connect_timeout", `${UPSTREAM_CONNECT_TIMEOUT_SECONDS}s`),
            directive("proxy_next_upstream", "error", "timeout"),
            directive("proxy_next_upstream_timeout", "10s"),
            directive("proxy_http_version", "1.1"),
            directive("proxy_set_header", "Host", "$host"),
            directive("proxy_set_header", "X-Real-IP", "$remote_addr"),
            directive("proxy_set_header", "X-Forwarded-For", "$proxy_add_x_forwarded_for"),
            directive("proxy_set_header", "X-Forwarded-Proto", "https"),
            directive("proxy_set_header", "X-Forwarded-Host", "$host"),
            directive("proxy_set_header", "X-Forwarded-Port", "$server_port"),
            ...(route.websocket
                ? [
                      directive("proxy_set_header", "Upgrade", "$http_upgrade"),
                      directive("proxy_set_header", "Connection", "$connection_upgrade"),
                      directive("proxy_read_timeout", "3600s"),
                      directive("proxy_send_timeout", "3600s"),
                  ]
                : [directive("proxy_set_header", "Connection", ""), directive("proxy_read_timeout", "60s")]),
            // add_header in a location replaces the server's, so the security headers are repeated here.
            ...headerDirectives(settings.headers),
            ...upstreamSecurityHeadersHidden(settings.headers),
        ],
    );
}

function staticLocation(path: string, directory: string, headers: HeaderList): NginxDirective {
    return blockDirective(
        "location",
        [path],
        [
            directive("alias", directory.replace(/\/?$/, "/")),
            directive("expires", "7d"),
            directive("access_log", "off"),
            ...addHeaders(headers),
        ],
    );
}

/** Where `/` goes when no route covers it: the single-page app's files, or the first route's upstream. */
function rootLocations(settings: NginxSiteSettings): NginxDirective[] {
    if (settings.routes.some((route) => route.path === "/")) {
        return [];
    }
    if (!settings.rootDirectory) {
        return [proxyLocation({ ...settings.routes[0], path: "/" }, settings)];
    }
    return [
        blockDirective(
            "location",
            ["/"],
            [
                directive("root", settings.rootDirectory),
                directive("try_files", "$uri", "$uri/", "/index.html"),
                ...headerDirectives(settings.headers),
            ],
        ),
    ];
}

/**
 * The complete nginx.conf for a non-root nginx, as a directive tree: TLS termination with Mozilla's intermediate
 * profile and HTTP/2, default servers that refuse unknown Host names, an HTTP to HTTPS redirect for the site's own
 * names, HSTS and security headers (uploads as downloads in a sandbox), proxied routes with forwarding headers, WebSocket upgrades, static and media files,
 * gzip, a body size limit and a per-client rate limit. The same settings always give the same tree.
 */
export function nginxConfigTree(settings: NginxSiteSettings): NginxDirective[] {
    if (settings.routes.length === 0) {
        throw new Error("nginx needs at least one proxied route");
    }
    const redirectPort = settings.publicHttpsPort === 443 ? "" : `:${settings.publicHttpsPort}`;
    return [
        directive("worker_processes", "auto"),
        directive("pid", "/tmp/nginx.pid"),
        directive("error_log", "/dev/stderr", "warn"),
        blockDirective("events", [], [directive("worker_connections", 1024)]),
        blockDirective(
            "http",
            [],
            [
                directive("include", "/etc/nginx/mime.types"),
                directive("default_type", "application/octet-stream"),
                directive("access_log", "/dev/stdout"),
                directive("client_body_temp_path", "/tmp/client_body"),
                directive("proxy_temp_path", "/tmp/proxy"),
                directive("fastcgi_temp_path", "/tmp/fastcgi"),
                directive("uwsgi_temp_path", "/tmp/uwsgi"),
                directive("scgi_temp_path", "/tmp/scgi"),
                directive("server_tokens", "off"),
                directive("sendfile", "on"),
                directive("keepalive_timeout", "65s"),
                directive("client_max_body_size", `${settings.clientMaxBodySizeMb}m`),
                directive("gzip", "on"),
                directive("gzip_vary", "on"),
                directive("gzip_min_length", 1024),
                directive("gzip_proxied", "any"),
                directive(
                    "gzip_types",
                    ..."text/plain text/css application/json application/javascript text/xml application/xml image/svg+xml".split(
                        " ",
                    ),
                ),
                directive(
                    "limit_req_zone",
                    "$binary_remote_addr",
                    "zone=perclient:10m",
                    `rate=${settings.rateLimitPerSecond}r/s`,
                ),
                directive("resolver", DOCKER_DNS, "valid=5s", "ipv6=off"),
                directive("resolver_timeout", "5s"),
                directive("limit_req_status", 429),
                blockDirective(
                    "map",
                    ["$http_upgrade", "$connection_upgrade"],
                    [directive("default", "upgrade"), directive("", "close")],
                ),
                // One TLS profile for every server: nginx settles the protocol before SNI has chosen a server.
                directive("ssl_protocols", ...TLS_PROTOCOLS),
                directive("ssl_ciphers", TLS12_CIPHERS.join(":")),
                directive("ssl_ecdh_curve", TLS_CURVES.join(":")),
                directive("ssl_prefer_server_ciphers", "off"),
                directive("ssl_session_cache", "shared:TLS:10m"),
                directive("ssl_session_timeout", "1d"),
                directive("ssl_session_tickets", "off"),
                directive("ssl_certificate", settings.certificatePath),
                directive("ssl_certificate_key", settings.keyPath),
                // Requests for any other Host: plain HTTP is closed without an answer (444), so it is never
                // redirected to a foreign host; HTTPS gets 421 Misdirected Request. A 421 rather than
                // ssl_reject_handshake, so clients that send no SNI (health checks by IP address) still reach the
                // named server by their Host header.
                blockDirective(
                    "server",
                    [],
                    [directive("listen", settings.httpPort, "default_server"), directive("return", 444)],
                ),
                blockDirective(
                    "server",
                    [],
                    [
                        // nginx 1.22 (Debian bookworm) turns HTTP/2 on in listen; the `http2` directive is 1.25.1+.
                        directive("listen", settings.httpsPort, "ssl", "http2", "default_server"),
                        ...headerDirectives(settings.headers),
                        directive("return", 421),
                    ],
                ),
                blockDirective(
                    "server",
                    [],
                    [
                        directive("listen", settings.httpPort),
                        directive("server_name", ...settings.serverNames),
                        // $host here is one of server_name, the only names this server answers.
                        directive("return", 301, `https://$host${redirectPort}$request_uri`),
                    ],
                ),
                blockDirective(
                    "server",
                    [],
                    [
                        directive("listen", settings.httpsPort, "ssl", "http2"),
                        directive("server_name", ...settings.serverNames),
                        ...headerDirectives(settings.headers),
                        blockDirective(
                            "location",
                            ["=", NGINX_HEALTH_PATH],
                            [directive("access_log", "off"), directive("return", 200, "ok\n")],
                        ),
                        ...settings.routes.map((route) => proxyLocation(route, settings)),
                        ...(settings.staticDirectory
                            ? [staticLocation("/static/", settings.staticDirectory, securityHeaders(settings.headers))]
                            : []),
                        ...(settings.mediaDirectory
                            ? [staticLocation(UPLOADS_PATH, settings.mediaDirectory, uploadHeaders(settings.headers))]
                            : []),
                        ...rootLocations(settings),
                    ],
                ),
            ],
        ),
    ];
}

/** The text of nginxConfigTree: the same settings always give the same text. */
export function renderNginxConfig(settings: NginxSiteSettings): string {
    return serializeNginxConfig(nginxConfigTree(settings));
}

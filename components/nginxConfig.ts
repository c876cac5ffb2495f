import { NginxDirective, blockDirective, directive, serializeNginxConfig } from "../rules/nginxTree";
import { securityHeaders } from "../rules/securityHeaders";

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
    /** HSTS max-age in seconds. */
    readonly hstsMaxAgeSeconds: number;
    readonly clientMaxBodySizeMb: number;
    /** Requests per second per client address on proxied routes. */
    readonly rateLimitPerSecond: number;
    readonly rateLimitBurst: number;
}

/** The security headers, sent on every response (`always`) of the level they are added to. */
function headerDirectives(hstsMaxAgeSeconds: number): NginxDirective[] {
    return securityHeaders(hstsMaxAgeSeconds).map(([name, value]) => directive("add_header", name, value, "always"));
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
            ...headerDirectives(settings.hstsMaxAgeSeconds),
        ],
    );
}

function staticLocation(path: string, directory: string, settings: NginxSiteSettings): NginxDirective {
    return blockDirective(
        "location",
        [path],
        [
            directive("alias", directory.replace(/\/?$/, "/")),
            directive("expires", "7d"),
            directive("access_log", "off"),
            ...headerDirectives(settings.hstsMaxAgeSeconds),
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
                ...headerDirectives(settings.hstsMaxAgeSeconds),
            ],
        ),
    ];
}

/**
 * The complete nginx.conf for a non-root nginx, as a directive tree: TLS termination, an HTTP to HTTPS redirect,
 * HSTS and security headers, proxied routes with forwarding headers, WebSocket upgrades, static and media files,
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
                blockDirective(
                    "server",
                    [],
                    [
                        directive("listen", settings.httpPort, "default_server"),
                        directive("server_name", ...settings.serverNames),
                        directive("return", 301, `https://$host${redirectPort}$request_uri`),
                    ],
                ),
                blockDirective(
                    "server",
                    [],
                    [
                        directive("listen", settings.httpsPort, "ssl", "default_server"),
                        directive("server_name", ...settings.serverNames),
                        directive("ssl_certificate", settings.certificatePath),
                        directive("ssl_certificate_key", settings.keyPath),
                        directive("ssl_protocols", "TLSv1.2", "TLSv1.3"),
                        directive("ssl_prefer_server_ciphers", "off"),
                        directive("ssl_session_cache", "shared:SSL:10m"),
                        directive("ssl_session_timeout", "1d"),
                        ...headerDirectives(settings.hstsMaxAgeSeconds),
                        blockDirective(
                            "location",
                            ["=", NGINX_HEALTH_PATH],
                            [directive("access_log", "off"), directive("return", 200, "ok\n")],
                        ),
                        ...settings.routes.map((route) => proxyLocation(route, settings)),
                        ...(settings.staticDirectory
                            ? [staticLocation("/static/", settings.staticDirectory, settings)]
                            : []),
                        ...(settings.mediaDirectory
                            ? [staticLocation("/media/", settings.mediaDirectory, settings)]
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

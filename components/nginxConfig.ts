import { securityHeaders } from "../rules/securityHeaders";

/** Docker's embedded DNS server, present in every container on a user-defined network. */
export const DOCKER_DNS = "127.0.0.11";

/** Answered by nginx itself, so its healthcheck does not depend on the application. */
export const NGINX_HEALTH_PATH = "/nginx-health";

/** A path prefix nginx forwards to an upstream service on the private network. */
export interface ProxyRoute {
    /** Path prefix, e.g. "/api/". */
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

function headerLines(indent: string, hstsMaxAgeSeconds: number): string[] {
    return securityHeaders(hstsMaxAgeSeconds).map(([name, value]) => `${indent}add_header ${name} "${value}" always;`);
}

function proxyLocation(route: ProxyRoute, settings: NginxSiteSettings): string[] {
    const lines = [
        `    location ${route.path} {`,
        `        limit_req zone=perclient burst=${settings.rateLimitBurst} nodelay;`,
        // A variable makes nginx resolve the name per request (through Docker's DNS) instead of once at start,
        // so replaced app containers, which get new addresses, are reached without restarting nginx.
        `        set $upstream ${route.upstream};`,
        "        proxy_pass http://$upstream;",
        "        proxy_http_version 1.1;",
        "        proxy_set_header Host $host;",
        "        proxy_set_header X-Real-IP $remote_addr;",
        "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "        proxy_set_header X-Forwarded-Proto https;",
        "        proxy_set_header X-Forwarded-Host $host;",
        "        proxy_set_header X-Forwarded-Port $server_port;",
    ];
    if (route.websocket) {
        lines.push(
            "        proxy_set_header Upgrade $http_upgrade;",
            "        proxy_set_header Connection $connection_upgrade;",
            "        proxy_read_timeout 3600s;",
            "        proxy_send_timeout 3600s;",
        );
    } else {
        lines.push('        proxy_set_header Connection "";', "        proxy_read_timeout 60s;");
    }
    // add_header in a location replaces the server's, so the security headers are repeated here.
    lines.push(...headerLines("        ", settings.hstsMaxAgeSeconds), "    }");
    return lines;
}

function staticLocation(path: string, directory: string, settings: NginxSiteSettings): string[] {
    return [
        `    location ${path} {`,
        `        alias ${directory.replace(/\/?$/, "/")};`,
        "        expires 7d;",
        "        access_log off;",
        ...headerLines("        ", settings.hstsMaxAgeSeconds),
        "    }",
    ];
}

/**
 * The complete nginx.conf for a non-root nginx: TLS termination, an HTTP to HTTPS redirect, HSTS and security
 * headers, proxied routes with forwarding headers, WebSocket upgrades, static and media files, gzip, a body
 * size limit and a per-client rate limit. The same settings always give the same text.
 */
export function renderNginxConfig(settings: NginxSiteSettings): string {
    if (settings.routes.length === 0) {
        throw new Error("nginx needs at least one proxied route");
    }
    const names = settings.serverNames.join(" ");
    const redirectPort = settings.publicHttpsPort === 443 ? "" : `:${settings.publicHttpsPort}`;
    const routesCoverRoot = settings.routes.some((route) => route.path === "/");
    const root = routesCoverRoot
        ? []
        : settings.rootDirectory
          ? [
                "    location / {",
                `        root ${settings.rootDirectory};`,
                "        try_files $uri $uri/ /index.html;",
                ...headerLines("        ", settings.hstsMaxAgeSeconds),
                "    }",
            ]
          : proxyLocation({ ...settings.routes[0], path: "/" }, settings);

    return [
        "worker_processes auto;",
        "pid /tmp/nginx.pid;",
        "error_log /dev/stderr warn;",
        "events {",
        "    worker_connections 1024;",
        "}",
        "http {",
        "    include /etc/nginx/mime.types;",
        "    default_type application/octet-stream;",
        "    access_log /dev/stdout;",
        "    client_body_temp_path /tmp/client_body;",
        "    proxy_temp_path /tmp/proxy;",
        "    fastcgi_temp_path /tmp/fastcgi;",
        "    uwsgi_temp_path /tmp/uwsgi;",
        "    scgi_temp_path /tmp/scgi;",
        "    server_tokens off;",
        "    sendfile on;",
        "    keepalive_timeout 65s;",
        `    client_max_body_size ${settings.clientMaxBodySizeMb}m;`,
        "    gzip on;",
        "    gzip_vary on;",
        "    gzip_min_length 1024;",
        "    gzip_proxied any;",
        "    gzip_types text/plain text/css application/json application/javascript text/xml application/xml image/svg+xml;",
        `    limit_req_zone $binary_remote_addr zone=perclient:10m rate=${settings.rateLimitPerSecond}r/s;`,
        `    resolver ${DOCKER_DNS} valid=5s ipv6=off;`,
        "    resolver_timeout 5s;",
        "    limit_req_status 429;",
        "    map $http_upgrade $connection_upgrade {",
        "        default upgrade;",
        "        '' close;",
        "    }",
        "    server {",
        `        listen ${settings.httpPort} default_server;`,
        `        server_name ${names};`,
        `        return 301 https://$host${redirectPort}$request_uri;`,
        "    }",
        "    server {",
        `        listen ${settings.httpsPort} ssl default_server;`,
        `        server_name ${names};`,
        `        ssl_certificate ${settings.certificatePath};`,
        `        ssl_certificate_key ${settings.keyPath};`,
        "        ssl_protocols TLSv1.2 TLSv1.3;",
        "        ssl_prefer_server_ciphers off;",
        "        ssl_session_cache shared:SSL:10m;",
        "        ssl_session_timeout 1d;",
        ...headerLines("        ", settings.hstsMaxAgeSeconds),
        `        location = ${NGINX_HEALTH_PATH} {`,
        "            access_log off;",
        '            return 200 "ok\\n";',
        "        }",
        ...settings.routes.flatMap((route) => proxyLocation(route, settings)).map((line) => `    ${line}`),
        ...(settings.staticDirectory ? staticLocation("/static/", settings.staticDirectory, settings) : []).map(
            (line) => `    ${line}`,
        ),
        ...(settings.mediaDirectory ? staticLocation("/media/", settings.mediaDirectory, settings) : []).map(
            (line) => `    ${line}`,
        ),
        ...root.map((line) => `    ${line}`),
        "    }",
        "}",
        "",
    ].join("\n");
}

import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { dockerCliStep } from "./dockerCli";
import { ApplicationChecks, applicationCheckLines } from "./smokeCheckApplication";
import { shellQuote } from "./shell";
import { HeaderList, UPLOADS_PATH } from "../rules/securityHeaders";

/** A path under the uploads that no upload has: nginx answers 404 with the uploads' headers (`always`). */
const ABSENT_UPLOAD = `${UPLOADS_PATH}smoke-check-absent`;

/** A fixed, valid Sec-WebSocket-Key (the RFC 6455 sample); the check only needs the 101 answer. */
const WEBSOCKET_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

export interface SmokeCheckArgs {
    /** Every long-running container of the platform: each must be running, healthy and never restarted. */
    readonly containers: pulumi.Input<string>[];
    /** The nginx container; HTTP checks run inside it against its own TLS port, as a client would. */
    readonly proxyContainer: pulumi.Input<string>;
    /** TLS port nginx listens on inside its container. */
    readonly proxyHttpsPort: number;
    /** Host header of the checks (the public domain). */
    readonly domain: string;
    /** Paths that must answer 200 through nginx, e.g. the backend's health endpoint. */
    readonly paths: readonly string[];
    /** The exact headers every HTTPS response must carry (Nginx.securityHeaders). */
    readonly headers: HeaderList;
    /** The exact headers of user uploads, when nginx serves them (Nginx.uploadHeaders). */
    readonly uploadHeaders?: HeaderList;
    /** Paths that must answer a WebSocket upgrade with 101. */
    readonly websocketPaths: readonly string[];
    /** Any change in these (new containers, new images) runs the checks again. */
    readonly triggers: pulumi.Input<unknown>[];
    /** Database, pending-migration and log checks of the application (smokeCheckApplication.ts). Default: none. */
    readonly application?: pulumi.Input<ApplicationChecks>;
}

/** Lines that fetch one response's headers and require each exact `Name: value` line (names in any case). */
function headerChecks(fetch: string, what: string, headers: HeaderList): string[] {
    return [
        `headers=$(${fetch}) || fail ${shellQuote(`nginx does not answer ${what}`)}`,
        `headers=$(printf '%s\\n' "$headers" | tr -d '\\r')`,
        ...headers.map(
            ([name, value]) =>
                `printf '%s\\n' "$headers" | grep -qixF -e ${shellQuote(`${name}: ${value}`)} || fail ${shellQuote(`${what} response lacks ${name}: ${value}`)}`,
        ),
        `echo ${shellQuote(`ok: ${what} answers with ${headers.map(([name]) => name).join(", ")}`)}`,
    ];
}

/**
 * The shell script of the checks. Each line it prints is one check; the first failure stops it with a line
 * that says what failed, which `pulumi up` then shows as the step's error.
 */
export function smokeCheckScript(settings: {
    readonly containers: readonly string[];
    readonly proxyContainer: string;
    readonly proxyHttpsPort: number;
    readonly domain: string;
    readonly paths: readonly string[];
    readonly headers: HeaderList;
    readonly uploadHeaders?: HeaderList;
    readonly websocketPaths: readonly string[];
    readonly application?: ApplicationChecks;
}): string {
    const base = `https://127.0.0.1:${settings.proxyHttpsPort}`;
    const curl = (extra: string, path: string) =>
        `docker exec ${shellQuote(settings.proxyContainer)} curl -sk --max-time 10 ${extra} -H ${shellQuote(
            `Host: ${settings.domain}`,
        )} ${shellQuote(`${base}${path}`)}`;
    const lines = [
        "set -u",
        'fail() { echo "smoke check failed: $*" >&2; exit 1; }',
        ...settings.containers.flatMap((container) => [
            `state=$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}no-healthcheck{{end}} {{.RestartCount}}' ${shellQuote(container)} 2>&1) || fail ${shellQuote(`${container} does not exist`)}`,
            `set -- $state`,
            `[ "$1" = running ] || fail ${shellQuote(container)} "is $1"`,
            `[ "$2" = healthy ] || fail ${shellQuote(container)} "is $2"`,
            `[ "$3" = 0 ] || fail ${shellQuote(container)} "restarted $3 times (a restart loop)"`,
            `echo ${shellQuote(`ok: ${container} running, healthy, never restarted`)}`,
        ]),
        ...applicationCheckLines(settings.application ?? {}),
        ...headerChecks(curl("-D - -o /dev/null", "/nginx-health"), "HTTPS", settings.headers),
        ...(settings.uploadHeaders
            ? headerChecks(curl("-D - -o /dev/null", ABSENT_UPLOAD), UPLOADS_PATH, settings.uploadHeaders)
            : []),
        ...settings.paths.flatMap((path) => [
            `code=$(${curl("-o /dev/null -w '%{http_code}'", path)})`,
            `[ "$code" = 200 ] || fail ${shellQuote(`GET ${path} answered`)} "$code"`,
            `echo ${shellQuote(`ok: GET ${path} 200`)}`,
        ]),
        ...settings.websocketPaths.flatMap((path) => {
            // The upgraded connection stays open, so curl only ends at its time limit, after printing the status.
            // A short limit first keeps the common case fast; a slow upgrade gets a second, longer try.
            const upgrade = (seconds: number) =>
                curl(
                    `--http1.1 --max-time ${seconds} -o /dev/null -w '%{http_code}' -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: ${WEBSOCKET_KEY}'`,
                    path,
                ).replace("--max-time 10 ", "");
            return [
                `code=$(${upgrade(0.5)})`,
                `[ "$code" = 101 ] || code=$(${upgrade(5)})`,
                `[ "$code" = 101 ] || fail ${shellQuote(`WebSocket upgrade on ${path} answered`)} "$code"`,
                `echo ${shellQuote(`ok: WebSocket upgrade on ${path} 101`)}`,
            ];
        }),
        "",
    ];
    return lines.join("\n");
}

/**
 * Post-deploy checks as a step of the stack itself, run after nginx is up: every container running, healthy and
 * never restarted; the database accepting connections, no pending migration and clean application logs;
 * HTTPS with the exact security headers, uploads with theirs; health endpoints 200; WebSocket upgrades 101. A failed check
 * fails `pulumi up` with the check's line. The docker CLI reaches the engine of the DockerTarget it inherits.
 */
export class SmokeCheck extends pulumi.ComponentResource {
    public readonly run: command.local.Command;
    /** One line per passed check. */
    public readonly report: pulumi.Output<string>;

    constructor(name: string, args: SmokeCheckArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webplatform:index:SmokeCheck", name, {}, opts);
        const script = pulumi
            .all([pulumi.all(args.containers), args.proxyContainer, pulumi.output(args.application ?? {})])
            .apply(([containers, proxyContainer, application]) =>
                smokeCheckScript({
                    containers,
                    proxyContainer,
                    proxyHttpsPort: args.proxyHttpsPort,
                    domain: args.domain,
                    paths: args.paths,
                    headers: args.headers,
                    uploadHeaders: args.uploadHeaders,
                    websocketPaths: args.websocketPaths,
                    application,
                }),
            );
        this.run = dockerCliStep(
            `${name}-run`,
            { script, triggers: args.triggers },
            { parent: this, dependsOn: opts?.dependsOn },
        );
        this.report = this.run.stdout;
        this.registerOutputs({ report: this.report });
    }
}

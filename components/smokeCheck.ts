import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { dockerCliStep } from "./dockerCli";
import { ApplicationChecks, applicationCheckLines } from "./smokeCheckApplication";
import { shellQuote } from "./shell";
import { WEBSOCKET_PROBE_CA_VARIABLE, WebsocketProbe, websocketProbeLine } from "./websocketProbe";
import { HeaderList, UPLOADS_PATH } from "../rules/securityHeaders";

/** A path under the uploads that no upload has: nginx answers 404 with the uploads' headers (`always`). */
const ABSENT_UPLOAD = `${UPLOADS_PATH}smoke-check-absent`;

/** A fixed, valid Sec-WebSocket-Key (the RFC 6455 sample); the check only needs the 101 answer. */
const WEBSOCKET_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

export interface SmokeCheckArgs {
    /** Every long-running container of the platform: each must be running, healthy and not restarting now. */
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
    /** Paths that must answer a WebSocket upgrade with 101 (routes without a probe). */
    readonly websocketPaths: readonly string[];
    /** Message round trips through nginx on WebSocket routes (websocketProbe.ts). Default: none. */
    readonly websocketProbes?: readonly WebsocketProbe[];
    /** The certificate nginx serves: the one the WebSocket probes trust. Required with websocketProbes. */
    readonly certificatePem?: pulumi.Input<string>;
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
 * Seconds a container that has restarted must have stayed up, running and healthy, to count as recovered. A crash
 * loop restarts well within it (Docker's restart delay starts at 100 ms), and the check waits out the rest of it
 * for a container restarted just now.
 */
export const RECOVERED_AFTER_SECONDS = 30;

/** Log lines shown with a container that fails the check (or its health gate). */
export const FAILURE_LOG_LINES = 10;

/**
 * `check_container NAME`: running and healthy now, and restarts judged by the present, not by history. Docker's
 * restart count never goes down, so one crash it recovered from days ago would fail every later deploy; a
 * container counts as restarting only while it was (re)started less than RECOVERED_AFTER_SECONDS ago and does not
 * stay up until then. A failure names the container, its state, exit code and restart count, and its last log lines.
 */
function containerCheckFunction(recoveredAfterSeconds: number): string[] {
    const format =
        "{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}no-healthcheck{{end}} {{.RestartCount}} {{.State.ExitCode}} {{.State.StartedAt}}";
    return [
        "inspect_container() {",
        `  state=$(docker inspect -f ${shellQuote(format)} "$1" 2>&1) || fail "$1 does not exist"`,
        "}",
        "container_failed() {",
        `  fail "$1 $2 (restarted $3 times, last exit code $4); its last log lines:
$(docker logs --tail ${FAILURE_LOG_LINES} "$1" 2>&1)"`,
        "}",
        "check_container() {",
        '  inspect_container "$1"; set -- "$1" $state',
        '  [ "$2" = running ] || container_failed "$1" "is $2" "$4" "$5"',
        '  [ "$3" = healthy ] || container_failed "$1" "is $3" "$4" "$5"',
        '  if [ "$4" = 0 ]; then echo "ok: $1 running, healthy, never restarted"; return; fi',
        // Where the date cannot be read (no GNU date), the container is watched for the whole window.
        '  started=$(date -u -d "$6" +%s 2>/dev/null) || started=$(date -u +%s)',
        "  up_for=$(( $(date -u +%s) - started ))",
        `  if [ "$up_for" -lt ${recoveredAfterSeconds} ]; then`,
        `    sleep $(( ${recoveredAfterSeconds} - up_for ))`,
        "    restarts=$4 last_start=$6",
        '    inspect_container "$1"; set -- "$1" $state',
        '    [ "$2" = running ] && [ "$3" = healthy ] && [ "$4" = "$restarts" ] && [ "$6" = "$last_start" ] \\',
        '      || container_failed "$1" "is restarting: $2, $3" "$4" "$5"',
        `    up_for=${recoveredAfterSeconds}`,
        "  fi",
        '  echo "ok: $1 running, healthy, up ${up_for}s since it recovered from $4 restarts"',
        "}",
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
    readonly websocketProbes?: readonly WebsocketProbe[];
    readonly application?: ApplicationChecks;
    /** Default: RECOVERED_AFTER_SECONDS. */
    readonly recoveredAfterSeconds?: number;
}): string {
    const base = `https://127.0.0.1:${settings.proxyHttpsPort}`;
    const curl = (extra: string, path: string) =>
        `docker exec ${shellQuote(settings.proxyContainer)} curl -sk --max-time 10 ${extra} -H ${shellQuote(
            `Host: ${settings.domain}`,
        )} ${shellQuote(`${base}${path}`)}`;
    const lines = [
        "set -u",
        'fail() { echo "smoke check failed: $*" >&2; exit 1; }',
        ...containerCheckFunction(settings.recoveredAfterSeconds ?? RECOVERED_AFTER_SECONDS),
        ...settings.containers.map((container) => `check_container ${shellQuote(container)}`),
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
        // Node's WebSocket client makes the round trips: curl 7.88 cannot, and the answer must be judged.
        ...(settings.websocketProbes?.length
            ? [
                  websocketProbeLine({
                      proxyContainer: settings.proxyContainer,
                      proxyHttpsPort: settings.proxyHttpsPort,
                      domain: settings.domain,
                      probes: settings.websocketProbes,
                  }),
              ]
            : []),
        "",
    ];
    return lines.join("\n");
}

/**
 * Post-deploy checks as a step of the stack itself, run after nginx is up: every container running, healthy and not
 * restarting now (containerCheckFunction); the database accepting connections, no pending migration and clean
 * application logs; HTTPS with the exact security headers, uploads with theirs; health endpoints 200; WebSocket
 * upgrades 101, or a message round trip where a probe is configured. A failed check
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
                    websocketProbes: args.websocketProbes,
                    application,
                }),
            );
        const probes = args.websocketProbes ?? [];
        if (probes.length > 0 && args.certificatePem === undefined) {
            throw new Error(`${name}: websocketProbes need certificatePem, the certificate the probes trust.`);
        }
        this.run = dockerCliStep(
            `${name}-run`,
            {
                script,
                triggers: args.triggers,
                environment: probes.length > 0 ? { [WEBSOCKET_PROBE_CA_VARIABLE]: args.certificatePem! } : undefined,
            },
            { parent: this, dependsOn: opts?.dependsOn },
        );
        this.report = this.run.stdout;
        this.registerOutputs({ report: this.report });
    }
}

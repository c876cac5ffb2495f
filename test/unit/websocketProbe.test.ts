import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { COMMAND, ofType, named, resetRecorded, settle, valueOf } from "../mocks";
import { Platform, PlatformArgs } from "../../components/platform";
import { smokeCheckScript } from "../../components/smokeCheck";
import { WEBSOCKET_PROBE_CA_VARIABLE } from "../../components/websocketProbe";
import { StackConfigError, parseStackConfig } from "../../config/stackConfig";
import { HEALTHY_RESPONSE, SECURITY_HEADERS, runWithFakeDocker } from "./fakeDocker";
import { productionConfig } from "./productionConfig";

/** The probe of Pulumi.prod.yaml (and the Django example): Daphne's answer through the Redis channel layer. */
const DJANGO_PROBE = {
    path: "/ws/jobs/",
    send: '{"type": "probe", "text": "smoke check"}',
    expect: '"text": "smoke check", "via": "channel layer"',
};

const CERTIFICATE = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

/** Pulumi.prod.yaml with its routes replaced. */
function withRoutes(routes: unknown[]): Record<string, any> {
    const raw = productionConfig();
    return { ...raw, nginx: { ...raw.nginx, routes } };
}

function problems(raw: Record<string, unknown>): string[] {
    try {
        parseStackConfig(raw, { stack: "prod", secretKeys: ["webplatform:tlsPrivateKey"] }, (value) => value);
    } catch (error) {
        if (error instanceof StackConfigError) {
            return error.message
                .split("\n")
                .slice(1)
                .map((line) => line.replace(/^ {2}- /, ""));
        }
        throw error;
    }
    return [];
}

describe("websocketProbe config", () => {
    it("reads the probe of Pulumi.prod.yaml with its default timeout", () => {
        const args = parseStackConfig(
            productionConfig(),
            { stack: "prod", secretKeys: ["webplatform:tlsPrivateKey"] },
            (value) => value,
        );
        expect(args.nginx!.routes).toEqual([
            { path: "/api/", service: "backend" },
            { path: "/admin/", service: "backend" },
            {
                path: "/ws/",
                service: "daphne",
                websocket: true,
                websocketProbe: { ...DJANGO_PROBE, timeoutSeconds: 10 },
            },
        ]);
    });

    const websocketRoute = { path: "/ws/", service: "daphne", websocket: true };
    it.each([
        [
            "on a route that does not pass upgrades",
            { path: "/ws/", service: "daphne", websocketProbe: { send: "a", expect: "a" } },
            "webplatform:nginx.routes[0].websocketProbe: is set on the route /ws/, which does not pass WebSocket upgrades. Fix: set websocket: true on this route, or remove websocketProbe.",
        ],
        [
            "with a path outside its route",
            { ...websocketRoute, websocketProbe: { path: "/api/ws/", send: "a", expect: "a" } },
            'webplatform:nginx.routes[0].websocketProbe.path: "/api/ws/" is not under the route\'s path /ws/, so nginx would not send it to daphne. Fix: give a path that starts with /ws/, or remove it to probe /ws/ itself.',
        ],
        [
            "with an empty message",
            { ...websocketRoute, websocketProbe: { send: "", expect: "pong" } },
            "webplatform:nginx.routes[0].websocketProbe.send: must not be empty. Fix: correct the value; the README lists every key and its form.",
        ],
        [
            "without the answer it expects",
            { ...websocketRoute, websocketProbe: { send: "ping" } },
            "webplatform:nginx.routes[0].websocketProbe.expect: is required but not set. Fix: set it with `pulumi config set --path nginx.routes[0].websocketProbe.expect ...` (see README).",
        ],
        [
            "with a misspelt key",
            { ...websocketRoute, websocketProbe: { send: "ping", expected: "pong" } },
            [
                "webplatform:nginx.routes[0].websocketProbe.expect: is required but not set. Fix: set it with `pulumi config set --path nginx.routes[0].websocketProbe.expect ...` (see README).",
                "webplatform:nginx.routes[0].websocketProbe.expected: is not a setting this project knows (a typo?). Fix: remove it or correct its name; the README lists every key.",
            ],
        ],
        [
            "with a timeout of zero",
            { ...websocketRoute, websocketProbe: { send: "ping", expect: "pong", timeoutSeconds: 0 } },
            "webplatform:nginx.routes[0].websocketProbe.timeoutSeconds: Too small: expected number to be >=1. Fix: correct the value; the README lists every key and its form.",
        ],
    ])("refuses a probe %s, naming the key and the fix", (_, route, message) => {
        const raw = withRoutes([route, { path: "/api/", service: "backend" }]);
        expect(problems(raw)).toEqual(Array.isArray(message) ? message : [message]);
    });
});

describe("the smoke step of a platform with a WebSocket probe", () => {
    const args: PlatformArgs = {
        environment: "development",
        domain: "thebot.example.com",
        backend: {
            image: { reference: "registry.example.com/thebot/backend:1.0.0" },
            command: ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000"],
            healthPath: "/api/system/health/live/",
            migrationCommand: ["python", "manage.py", "migrate", "--noinput"],
            redisUrlVariables: { REDIS_URL: "cache", CHANNELS_REDIS_URL: "channels" },
        },
        workers: {
            daphne: {
                command: ["daphne", "-b", "0.0.0.0", "-p", "8001", "config.asgi:application"],
                port: 8001,
                healthcheckCommand: ["python3", "/app/healthcheck.py", "daphne"],
            },
        },
        nginx: {
            routes: [
                { path: "/api/", service: "backend" },
                { path: "/ws/", service: "daphne", websocket: true, websocketProbe: DJANGO_PROBE },
                { path: "/events/", service: "backend", websocket: true },
            ],
            certificatePem: CERTIFICATE,
            privateKeyPem: "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
        },
    };
    let script = "";
    beforeAll(async () => {
        resetRecorded();
        const platform = new Platform("thebot", args);
        await valueOf(platform.smokeCheck.report);
        await settle();
        script = named("thebot-smoke-check-run").inputs.create;
    });

    it("hands the probe the stack's certificate in the step's environment, not in its script", () => {
        const step = named("thebot-smoke-check-run");
        expect(ofType(COMMAND).filter((command) => command.name.startsWith("thebot-smoke-check"))).toHaveLength(1);
        expect(step.inputs.environment).toEqual({ [WEBSOCKET_PROBE_CA_VARIABLE]: CERTIFICATE });
        expect(script).not.toContain("BEGIN CERTIFICATE");
        expect(step.inputs.interpreter).toEqual(["/bin/sh", "-c"]);
    });

    it("makes the round trip on the probed route and keeps the 101 check for the route without a probe", () => {
        // One node line, after every other check: the round trip ends the script (its source spans lines).
        const start = script.indexOf("\nnode -e ");
        expect(start).toBeGreaterThan(0);
        expect(script.indexOf("\nnode -e ", start + 1)).toBe(-1);
        const probeLine = script.slice(start + 1);
        expect(probeLine.endsWith(" || exit 1\n")).toBe(true);
        expect(probeLine).toContain("function websocketProbeMain(require, run)");
        // The probe's settings, exactly, as the node process gets them (defaults filled in, the route's nginx).
        expect(probeLine).toContain(
            JSON.stringify({
                proxyContainer: "thebot-nginx",
                proxyHttpsPort: 8443,
                domain: "thebot.example.com",
                probes: [{ ...DJANGO_PROBE, timeoutSeconds: 10 }],
                caVariable: WEBSOCKET_PROBE_CA_VARIABLE,
            }).replace(/'/g, "'\\''"),
        );
        expect(script).toContain("ok: WebSocket upgrade on /events/ 101");
        expect(script.slice(0, start)).toContain("ok: GET /api/system/health/live/ 200");
        expect(script).not.toContain("WebSocket upgrade on /ws/");
    });

    it("probes the route's own path when the probe names none", async () => {
        resetRecorded();
        const routes = args.nginx!.routes!.map((route) =>
            route.websocketProbe ? { ...route, websocketProbe: { send: "ping", expect: "pong" } } : route,
        );
        const platform = new Platform("thebot", { ...args, nginx: { ...args.nginx, routes } });
        await valueOf(platform.smokeCheck.report);
        await settle();
        expect(named("thebot-smoke-check-run").inputs.create).toContain(
            '"probes":[{"send":"ping","expect":"pong","timeoutSeconds":10,"path":"/ws/"}]',
        );
    });
});

describe("the probe as the smoke script runs it (node, against a stand-in docker)", () => {
    // A real certificate: node parses the one it is handed before it connects.
    const dir = mkdtempSync(join(tmpdir(), "wp-probe-cert-"));
    execFileSync(
        "openssl",
        [
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=shop.example.com",
            "-keyout",
            join(dir, "key.pem"),
            "-out",
            join(dir, "cert.pem"),
        ],
        { stdio: "ignore" },
    );
    const certificate = readFileSync(join(dir, "cert.pem"), "utf8");
    rmSync(dir, { recursive: true, force: true });
    const settings = {
        containers: [],
        proxyContainer: "wp-nginx",
        proxyHttpsPort: 8443,
        domain: "shop.example.com",
        paths: [],
        headers: SECURITY_HEADERS,
        websocketPaths: [],
        websocketProbes: [{ path: "/ws/", send: "ping", expect: "pong", timeoutSeconds: 5 }],
    };
    const run = (exec: string, environment: Record<string, string>) =>
        runWithFakeDocker(
            smokeCheckScript(settings),
            [`*"-D -"*) printf '%s\\r\\n' "${HEALTHY_RESPONSE}" ;;`, `"exec -i "*) ${exec} ;;`],
            environment,
        );

    it("reaches nginx's TLS port through docker exec, and fails with what docker said when it cannot", () => {
        const result = run("echo 'Error response from daemon: container wp-nginx is not running' >&2; exit 1", {
            [WEBSOCKET_PROBE_CA_VARIABLE]: certificate,
        });
        expect(result.code).toBe(1);
        expect(result.stdout).toContain("ok: HTTPS answers with");
        expect(result.stderr).toMatch(
            /^smoke check failed: WebSocket \/ws\/: the upgrade failed: .+ \(docker exec: Error response from daemon: container wp-nginx is not running\)\n$/,
        );
        const tunnels = result.calls.filter((call) => call.startsWith("exec -i "));
        expect(tunnels.length).toBeGreaterThanOrEqual(1);
        expect(tunnels[0]).toBe(
            "exec -i wp-nginx bash -c exec 3<>/dev/tcp/127.0.0.1/8443 || exit 1; cat <&3 & cat >&3 & wait -n; kill $(jobs -p) 2>/dev/null; exit 0",
        );
    });

    it("fails before connecting when the step has no certificate to trust", () => {
        const result = run("exit 1", {});
        expect(result.code).toBe(1);
        expect(result.stderr).toBe(
            `smoke check failed: WebSocket /ws/: no certificate to trust in ${WEBSOCKET_PROBE_CA_VARIABLE}.\n`,
        );
        expect(result.calls.some((call) => call.startsWith("exec -i "))).toBe(false);
    });

    it("fails before connecting when the certificate is not one", () => {
        const result = run("exit 1", { [WEBSOCKET_PROBE_CA_VARIABLE]: CERTIFICATE });
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(
            new RegExp(
                `^smoke check failed: WebSocket /ws/: the certificate in ${WEBSOCKET_PROBE_CA_VARIABLE} cannot be read \\(.+\\)\\.\n$`,
            ),
        );
        expect(result.calls.some((call) => call.startsWith("exec -i "))).toBe(false);
    });
});

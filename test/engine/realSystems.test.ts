// Longer than ~300 lines on purpose: the three seed systems share one deploy-and-judge harness, and each system's
// judges are short.
import { spawnSync } from "node:child_process";
import { connect } from "node:tls";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testCertificate } from "./certificate";
import { nginxSettingsSchema } from "../../components/schemas/nginx";
import { securityHeaders } from "../../rules/securityHeaders";
import {
    badLogLines,
    containersNamed,
    docker,
    engineName,
    freeLoopbackPort,
    networksNamed,
    removePlatform,
    volumesNamed,
} from "./docker";
import { HttpAnswer, https } from "./http";
import { PulumiProject, REPO_ROOT } from "./pulumiCli";

/**
 * The three example systems deployed for real: each example's own Pulumi.stack.yaml, with only the image
 * references and a test certificate for its domain swapped in, deployed with environment: production and the
 * policy pack mandatory on the local engine, then judged by the applications themselves.
 */
const POLICIES = join(REPO_ROOT, "policies");
const POLICY_ARGS = ["--policy-pack", POLICIES, "--policy-pack-config", join(POLICIES, "config/production.json")];

/**
 * The examples leave PostgreSQL, Redis and (but for Django) nginx at the official images pinned by digest, which
 * this machine cannot pull (no registry access): the local builds stand in for them. Their tags (15, 7, 1.22)
 * move, which the production guards rightly refuse, so they are given by engine image ID, which pins exactly.
 */
const imageId = (reference: string) => docker(["image", "inspect", "--format", "{{.Id}}", reference]);
const DATASTORE_IMAGES = {
    "postgres.image": imageId("webplatform/postgres:15"),
    "redis.image": imageId("webplatform/redis:7"),
};
const LOCAL_NGINX = imageId("webplatform/nginx:1.22");

/** HTTPS to 127.0.0.1 with the example's domain as Host and SNI (never real DNS); the test certificate is not verified. */
function httpsTo(
    port: number,
    host: string,
    path: string,
    options: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
    return https(port, path, { ...options, host, timeoutMs: 15000 });
}

/**
 * A websocket over TLS to nginx with the example's Host and SNI and no Origin (not a browser), reading the
 * server's text frames one by one (no WebSocket library needed).
 */
function jobSocket(
    port: number,
    host: string,
): Promise<{ statusLine: string; next: () => Promise<string>; close: () => void }> {
    return new Promise((resolve, reject) => {
        const frames: string[] = [];
        const waiting: ((frame: string) => void)[] = [];
        let buffer = Buffer.alloc(0);
        let statusLine = "";
        const socket = connect({ host: "127.0.0.1", port, servername: host, rejectUnauthorized: false }, () => {
            socket.write(
                [
                    "GET /ws/jobs/ HTTP/1.1",
                    `Host: ${host}`,
                    "Upgrade: websocket",
                    "Connection: Upgrade",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                    "Sec-WebSocket-Version: 13",
                    "",
                    "",
                ].join("\r\n"),
            );
        });
        const deliver = (frame: string) => {
            const waiter = waiting.shift();
            if (waiter) waiter(frame);
            else frames.push(frame);
        };
        socket.on("data", (chunk) => {
            buffer = Buffer.concat([buffer, chunk]);
            if (!statusLine) {
                const end = buffer.indexOf("\r\n\r\n");
                if (end === -1) return;
                statusLine = buffer.subarray(0, buffer.indexOf("\r\n")).toString("latin1");
                buffer = buffer.subarray(end + 4);
                resolve({
                    statusLine,
                    next: () =>
                        new Promise((resolveFrame, rejectFrame) => {
                            const frame = frames.shift();
                            if (frame !== undefined) return resolveFrame(frame);
                            const timer = setTimeout(
                                () => rejectFrame(new Error("no websocket frame in 30 s")),
                                30_000,
                            );
                            waiting.push((text) => {
                                clearTimeout(timer);
                                resolveFrame(text);
                            });
                        }),
                    close: () => socket.destroy(),
                });
            }
            // Unmasked server frames: 0x81, a 7-bit length (or 126 and a 16-bit one), the payload.
            for (;;) {
                if (buffer.length < 2) return;
                let length = buffer[1] & 0x7f;
                let offset = 2;
                if (length === 126) {
                    if (buffer.length < 4) return;
                    length = buffer.readUInt16BE(2);
                    offset = 4;
                }
                if (buffer.length < offset + length) return;
                const opcode = buffer[0] & 0x0f;
                const payload = buffer.subarray(offset, offset + length).toString("utf8");
                buffer = buffer.subarray(offset + length);
                if (opcode === 1) deliver(payload);
            }
        });
        socket.on("error", reject);
    });
}

function basic(user: string, password: string): Record<string, string> {
    return { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await probe().catch(() => undefined);
        if (value !== undefined || Date.now() > deadline) return value;
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
}

/** Exit code and output of `docker <args>`, without throwing. */
function dockerRun(args: string[]): { code: number; output: string } {
    const result = spawnSync("docker", args, { encoding: "utf8" });
    return { code: result.status ?? -1, output: `${result.stdout}\n${result.stderr}` };
}

interface System {
    readonly example: string;
    readonly stack: string;
    readonly domain: string;
    readonly images: Record<string, string>;
    readonly secretEnv?: Record<string, string>;
    readonly env?: Record<string, string>;
    /** The example's smoke-check paths, each of which the stack's own smoke step must report 200 for. */
    readonly smokePaths: string[];
    /** Other lines the stack's own smoke step must report, exactly (its WebSocket round trips). Default: none. */
    readonly smokeLines?: string[];
    /** A path nginx proxies to the application, whose response headers are counted. */
    readonly proxiedPath: string;
    /** The example's database and its owner role (postgres.database, postgres.user). */
    readonly database: { readonly name: string; readonly user: string };
    /** The next release: its images, where it reports its version, and SQL that answers 1 once its migration ran. */
    readonly newVersion: {
        readonly images: Record<string, string>;
        readonly versionPath: string;
        readonly migrationApplied: string;
    };
}

/** SQL that answers 1 once alembic has applied `revision` (its version table holds the one current head). */
function alembicRevisionApplied(revision: string): string {
    return `SELECT count(*) FROM alembic_version WHERE version_num = '${revision}'`;
}

/** One answer of `psql` in the deployment's PostgreSQL container, as the application's owner role. */
function sql(deployment: Deployment, query: string): string {
    const { name, user } = deployment.system.database;
    return docker(["exec", `${deployment.name}-postgres`, "psql", "-U", user, "-d", name, "-tAc", query]);
}

/** Row count of every application table, by name; the migration bookkeeping tables are left out. */
function rowCounts(deployment: Deployment): Record<string, number> {
    const tables = sql(
        deployment,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' " +
            "AND table_name NOT IN ('django_migrations', 'alembic_version') ORDER BY table_name",
    ).split("\n");
    return Object.fromEntries(
        tables.map((table) => [table, Number(sql(deployment, `SELECT count(*) FROM "${table}"`))]),
    );
}

/** One example deployed as a production stack, with ports of its own and every trace removed afterwards. */
class Deployment {
    readonly project: PulumiProject;
    readonly name: string;
    httpsPort = 0;
    upOutput = "";

    constructor(readonly system: System) {
        this.project = new PulumiProject(`real-${system.stack}`);
        // The stack config names no `webplatform:name`, so the Platform is `wp-<stack>`.
        this.name = `wp-${system.stack}`;
    }

    async init(): Promise<void> {
        removePlatform(`${this.name}-`);
        const { project, system } = this;
        await project.initStack(system.stack, `examples/${system.example}/Pulumi.stack.yaml`);
        for (const [path, image] of Object.entries(system.images)) {
            await project.setConfig(path, image, { path: true });
        }
        const { certificate, key } = testCertificate(system.domain);
        await project.setConfig("nginx.certificatePem", certificate, { path: true });
        await project.setConfig("webplatform:tlsPrivateKey", key, { secret: true });
        for (const [variable, value] of Object.entries(system.secretEnv ?? {})) {
            await project.setConfig(`secretEnv.${variable}`, value, { secret: true, path: true });
        }
        for (const [variable, value] of Object.entries(system.env ?? {})) {
            await project.setConfig(`backend.env.${variable}`, value, { path: true });
        }
        // Test-only: the examples publish on 0.0.0.0:80/443; these runs share the engine with other tests (and
        // with each other), so each publishes on 127.0.0.1 with free ports of its own.
        await project.setConfig("nginx.publishAddress", "127.0.0.1", { path: true });
        await project.setConfig("nginx.httpPort", String(await freeLoopbackPort()), { path: true });
        this.httpsPort = await freeLoopbackPort();
        await project.setConfig("nginx.httpsPort", String(this.httpsPort), { path: true });
    }

    up(extra: string[] = []) {
        return this.project.pulumi(["up", "--yes", "--stack", this.system.stack, ...POLICY_ARGS, ...extra]);
    }

    get(path: string, options: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
        return httpsTo(this.httpsPort, this.system.domain, path, options);
    }

    async cleanup(): Promise<void> {
        await this.project.pulumi(["destroy", "--yes", "--stack", this.system.stack]);
        await this.project.pulumi(["stack", "rm", "--yes", "--force", "--stack", this.system.stack]);
        removePlatform(`${this.name}-`);
        this.project.remove();
    }
}

/** The shared checks: deploy from empty with the policy pack, then clean logs, no changes, destroy keeps data. */
function deployAndCheck(
    system: System,
    containers: string[],
    appContainers: string[],
    judge: (deployment: Deployment) => void,
    hooks: {
        duringUp?: (deployment: Deployment) => Promise<void>;
        /** Checks that disturb the platform, run after the new version and the no-change up, before destroy. */
        late?: (deployment: Deployment) => void;
        /** Checks run before the new version rolls out. */
        beforeNewVersion?: (deployment: Deployment) => void;
        beforeDestroy?: (deployment: Deployment) => void;
    } = {},
) {
    const deployment = new Deployment(system);
    let started = 0;
    beforeAll(() => {
        started = Date.now();
        return deployment.init();
    }, 120_000);
    afterAll(async () => {
        hooks.beforeDestroy?.(deployment);
        await deployment.cleanup();
        console.log(`${system.example}: ${Math.round((Date.now() - started) / 1000)} s in all`);
    }, 600_000);

    it("deploys from empty to all healthy with the policy pack mandatory (the stack's own smoke check passes)", async () => {
        const start = Date.now();
        const upDone = deployment.up(["--skip-preview"]);
        const during = hooks.duringUp?.(deployment);
        const up = await upDone;
        await during;
        console.log(`${system.example}: up from empty in ${Math.round((Date.now() - start) / 1000)} s`);
        deployment.upOutput = up.output;
        if (up.code !== 0) console.log(up.output);
        expect(up.code, up.output).toBe(0);
        const names = containers.map((container) => engineName(`${deployment.name}-${container}`));
        for (const container of names) {
            expect(
                `${container} ${docker(["inspect", "--format", "{{.State.Health.Status}} {{.RestartCount}}", container])}`,
            ).toBe(`${container} healthy 0`);
        }
        const report = (await deployment.project.must(["stack", "output", "--stack", system.stack, "smokeCheck"]))
            .stdout;
        for (const path of system.smokePaths) {
            expect(report).toContain(`ok: GET ${path} 200`);
        }
        expect(report.split("\n")).toEqual(expect.arrayContaining(system.smokeLines ?? []));
        expect(report).toContain(
            `ok: ${deployment.name}-postgres accepts connections to ${system.database.name} as ${system.database.user}`,
        );
        expect(report).toMatch(/^ok: no pending migrations \(.+\)$/m);
        for (const container of appContainers) {
            expect(report).toContain(
                `ok: ${engineName(`${deployment.name}-${container}`)} logged no error or traceback`,
            );
        }
    });

    it("sends each security header once, with the platform's value, on a response the application made", async () => {
        const answer = await deployment.get(system.proxiedPath);
        expect(answer.status, answer.body).toBe(200);
        const raw = answer.rawHeaders ?? [];
        // The examples leave the header settings at the platform's defaults.
        const defaults = nginxSettingsSchema.parse({});
        for (const [name, value] of securityHeaders(defaults)) {
            const values = raw.filter(
                (_, index) => index % 2 === 1 && raw[index - 1].toLowerCase() === name.toLowerCase(),
            );
            expect({ [name]: values }).toEqual({ [name]: [value] });
        }
    });

    judge(deployment);

    it("no application container logged a warning, an error or a traceback", () => {
        expect(badLogLines(appContainers.map((container) => engineName(`${deployment.name}-${container}`)))).toEqual(
            [],
        );
    });

    hooks.beforeNewVersion?.(deployment);

    it("a new image version re-runs migrations, keeps every row and serves the new version", async () => {
        const rowsBefore = rowCounts(deployment);
        expect(Object.values(rowsBefore).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
        expect(sql(deployment, system.newVersion.migrationApplied)).toBe("0");
        for (const [path, image] of Object.entries(system.newVersion.images)) {
            await deployment.project.setConfig(path, image, { path: true });
        }
        const start = Date.now();
        const up = await deployment.up(["--skip-preview"]);
        console.log(`${system.example}: new version rolled out in ${Math.round((Date.now() - start) / 1000)} s`);
        expect(up.code, up.output).toBe(0);
        expect(up.output).toMatch(
            new RegExp(`command:local:Command\\s+${deployment.name}-backend-migrate-run\\s+created replacement`),
        );
        expect(sql(deployment, system.newVersion.migrationApplied)).toBe("1");
        const rowsAfter = rowCounts(deployment);
        expect(Object.fromEntries(Object.keys(rowsBefore).map((table) => [table, rowsAfter[table]]))).toEqual(
            rowsBefore,
        );
        const version = await deployment.get(system.newVersion.versionPath);
        expect(version.status, version.body).toBe(200);
        expect(JSON.parse(version.body)).toMatchObject({ version: "1.1.0" });
        const report = (await deployment.project.must(["stack", "output", "--stack", system.stack, "smokeCheck"]))
            .stdout;
        expect(report).toMatch(/^ok: no pending migrations \(.+\)$/m);
        for (const container of appContainers) {
            const name = engineName(`${deployment.name}-${container}`);
            expect(
                `${name} ${docker(["inspect", "--format", "{{.State.Health.Status}} {{.RestartCount}}", name])}`,
            ).toBe(`${name} healthy 0`);
        }
        expect(badLogLines(appContainers.map((container) => engineName(`${deployment.name}-${container}`)))).toEqual(
            [],
        );
    });

    it("a second up with no changes changes nothing", async () => {
        const again = await deployment.up(["--expect-no-changes"]);
        expect(again.code, again.output).toBe(0);
    });

    hooks.late?.(deployment);

    it("destroy removes the containers and networks and keeps the data volumes", async () => {
        hooks.beforeDestroy?.(deployment);
        await deployment.project.must(["destroy", "--yes", "--stack", system.stack]);
        expect(containersNamed(`${deployment.name}-`)).toEqual([]);
        expect(networksNamed(`${deployment.name}-`)).toEqual([]);
        expect(volumesNamed(`${deployment.name}-`)).toEqual(
            expect.arrayContaining([`${deployment.name}-postgres-data`, `${deployment.name}-redis-data`]),
        );
    });
}

describe("the django-celery-channels system deployed for real", () => {
    const system: System = {
        example: "django-celery-channels",
        stack: "rs-django",
        domain: "thebot.example.com",
        smokePaths: ["/api/system/readiness/", "/"],
        // The example's websocketProbe: Daphne's answer came back through the Redis channel layer, over nginx.
        smokeLines: [
            `ok: WebSocket /ws/jobs/ round trip: sent ${JSON.stringify('{"type": "probe", "text": "smoke check"}')}, the answer ${JSON.stringify(
                '{"type": "probe.reply", "text": "smoke check", "via": "channel layer"}',
            )} contains ${JSON.stringify('"text": "smoke check", "via": "channel layer"')}`,
        ],
        proxiedPath: "/api/system/readiness/",
        database: { name: "thebot_db", user: "thebot" },
        newVersion: {
            images: { "backend.image": "webplatform/django-platform:1.1.0" },
            versionPath: "/api/system/version/",
            migrationApplied:
                "SELECT count(*) FROM django_migrations WHERE app = 'jobs' AND name = '0002_job_priority'",
        },
        images: {
            ...DATASTORE_IMAGES,
            "backend.image": "webplatform/django-platform:1.0.0",
            "nginx.image": "webplatform/django-frontend:1.0.0",
        },
    };
    const apps = ["backend-web-1", "celery-beat-1", "celery-worker-1", "daphne-1"];
    deployAndCheck(
        system,
        [...apps, "nginx", "postgres", "redis"],
        apps,
        (deployment) => {
            const web = () => engineName(`${deployment.name}-backend-web-1`);

            it("passes Django's own deploy check and has no pending migration", () => {
                const deploy = dockerRun([
                    "exec",
                    web(),
                    "python3",
                    "manage.py",
                    "check",
                    "--deploy",
                    "--fail-level",
                    "WARNING",
                ]);
                expect(deploy.code, deploy.output).toBe(0);
                const migrate = dockerRun(["exec", web(), "python3", "manage.py", "migrate", "--check"]);
                expect(migrate.code, migrate.output).toBe(0);
            });

            it("runs a job queued through nginx over HTTPS in a Celery worker", async () => {
                const password = "real-systems-test-password-1";
                const created = dockerRun([
                    "exec",
                    "-e",
                    "DJANGO_SUPERUSER_USERNAME=tester",
                    "-e",
                    "DJANGO_SUPERUSER_EMAIL=tester@thebot.example.com",
                    "-e",
                    `DJANGO_SUPERUSER_PASSWORD=${password}`,
                    web(),
                    "python3",
                    "manage.py",
                    "createsuperuser",
                    "--noinput",
                ]);
                expect(created.code, created.output).toBe(0);
                const auth = basic("tester", password);
                const queued = await deployment.get("/api/jobs/", {
                    method: "POST",
                    body: JSON.stringify({ kind: "reverse", payload: "hello thebot" }),
                    headers: auth,
                });
                expect(queued.status, queued.body).toBe(201);
                const { id } = JSON.parse(queued.body);
                const job = await waitFor(async () => {
                    const answer = JSON.parse((await deployment.get(`/api/jobs/${id}/`, { headers: auth })).body);
                    return answer.status === "done" ? answer : undefined;
                }, 60_000);
                expect(job).toMatchObject({ status: "done", result: "tobeht olleh" });

                // The same through Channels: a websocket on /ws/jobs/ (Daphne) hears the worker finish a new job.
                const socket = await jobSocket(deployment.httpsPort, system.domain);
                try {
                    expect(socket.statusLine).toBe("HTTP/1.1 101 Switching Protocols");
                    expect(JSON.parse(await socket.next())).toMatchObject({ type: "hello" });
                    const second = await deployment.get("/api/jobs/", {
                        method: "POST",
                        body: JSON.stringify({ kind: "wordcount", payload: "one two three" }),
                        headers: auth,
                    });
                    expect(second.status, second.body).toBe(201);
                    const secondId = JSON.parse(second.body).id;
                    let event: any = {};
                    while (!(event.type === "job.finished" && event.job?.id === secondId)) {
                        event = JSON.parse(await socket.next());
                    }
                    expect(event.job).toMatchObject({ status: "done" });
                } finally {
                    socket.close();
                }
            });
        },
        {
            late: (deployment) => {
                it("fails up with the WebSocket round trip's answer when Daphne's channel layer cannot reach Redis", async () => {
                    // Daphne keeps serving (its healthcheck is its own HTTP port), but its consumers lose Redis.
                    const daphne = engineName(`${deployment.name}-daphne-1`);
                    const network = `${deployment.name}-private`;
                    const aliases: string[] =
                        JSON.parse(
                            docker([
                                "inspect",
                                "--format",
                                `{{json (index .NetworkSettings.Networks "${network}").Aliases}}`,
                                daphne,
                            ]),
                        ) ?? [];
                    const state = JSON.parse(
                        (await deployment.project.must(["stack", "export", "--stack", system.stack])).stdout,
                    );
                    const smokeStep: string = state.deployment.resources
                        .map((resource: { urn: string }) => resource.urn)
                        .find((urn: string) => urn.endsWith(`::${deployment.name}-smoke-check-run`));
                    docker(["network", "disconnect", network, daphne]);
                    try {
                        const start = Date.now();
                        const up = await deployment.up(["--skip-preview", "--replace", smokeStep]);
                        console.log(
                            `${system.example}: failing smoke step in ${Math.round((Date.now() - start) / 1000)} s`,
                        );
                        expect(up.code, up.output).not.toBe(0);
                        const failure = /smoke check failed: WebSocket \/ws\/jobs\/: .*/.exec(up.output)?.[0];
                        console.log(`${system.example}: ${failure}`);
                        expect(failure, up.output).toMatch(
                            /^smoke check failed: WebSocket \/ws\/jobs\/: (the upgrade was answered \d{3} instead of 101|did not open within 10 s\.|sent .+, but .+)$/,
                        );
                        // Every check before it passed: only the round trip found the broken consumer.
                        expect(up.output).toContain("ok: GET /api/system/readiness/ 200");
                    } finally {
                        docker([
                            "network",
                            "connect",
                            ...aliases.flatMap((alias) => ["--alias", alias]),
                            network,
                            daphne,
                        ]);
                    }
                });
            },
        },
    );
});

describe("the fastapi-alembic system deployed for real", () => {
    const system: System = {
        example: "fastapi-alembic",
        stack: "rs-fastapi",
        domain: "api.privexbot.example.com",
        smokePaths: ["/health"],
        proxiedPath: "/api/version",
        database: { name: "privexbot", user: "privexbot" },
        newVersion: {
            images: { "backend.image": "webplatform/fastapi-alembic:1.1.0" },
            versionPath: "/api/version",
            migrationApplied: alembicRevisionApplied("0002"),
        },
        images: {
            ...DATASTORE_IMAGES,
            "backend.image": "webplatform/fastapi-alembic:1.0.0",
            "nginx.image": LOCAL_NGINX,
        },
    };
    deployAndCheck(
        system,
        ["backend-web-1", "nginx", "postgres", "redis"],
        ["backend-web-1"],
        (deployment) => {
            it("registers a user and logs in through nginx over HTTPS", async () => {
                const credentials = JSON.stringify({
                    email: "alice@privexbot.example.com",
                    password: "correct horse 42",
                });
                const registered = await deployment.get("/api/users", { method: "POST", body: credentials });
                expect(registered.status, registered.body).toBe(201);
                const login = await deployment.get("/api/login", { method: "POST", body: credentials });
                expect(login.status, login.body).toBe(200);
                const { access_token: token } = JSON.parse(login.body);
                const me = await deployment.get("/api/me", { headers: { Authorization: `Bearer ${token}` } });
                expect(me.status, me.body).toBe(200);
                expect(JSON.parse(me.body)).toMatchObject({ email: "alice@privexbot.example.com" });
            });

            it("has no pending migration (the application's own probe inside the container)", () => {
                const check = dockerRun([
                    "exec",
                    engineName(`${deployment.name}-backend-web-1`),
                    "python3",
                    "-m",
                    "src.app.migrations",
                    "check",
                ]);
                expect(check.code, check.output).toBe(0);
            });
        },
        {
            beforeNewVersion: (deployment) => {
                it("fails its own smoke check, naming what is pending, when the new image's migration is not applied", async () => {
                    const exampleMigration = ["sh", "-c", "cd /app/src && alembic upgrade head"];
                    await deployment.project.setConfig("backend.image", system.newVersion.images["backend.image"], {
                        path: true,
                    });
                    // A real migration that stops short of the new image's head: 1.1.0 then runs on a 1.0.0 schema.
                    await deployment.project.setConfigList("backend.migrationCommand", [
                        "sh",
                        "-c",
                        "cd /app/src && alembic upgrade 0001",
                    ]);
                    const up = await deployment.up(["--skip-preview"]);
                    await deployment.project.setConfigList("backend.migrationCommand", exampleMigration);
                    expect(up.code, up.output).not.toBe(0);
                    // The web replica's engine name: the resource name, or it with the suffix of an auto-named one.
                    expect(up.output).toMatch(
                        new RegExp(
                            `smoke check failed: migrations are pending: \`python3 -m src\\.app\\.migrations check\` in ${deployment.name}-backend-web-1(-[0-9a-f]{7})? exited non-zero`,
                        ),
                    );
                    expect(up.output).toContain("database revision: 0001; head: 0002");
                });
            },
        },
    );
});

describe("the fastapi-admin-telegram-bot system deployed for real", () => {
    // A token of Telegram's form; the double accepts exactly this one.
    const token = "8123456789:TestTokenNotRealAbCdEfGhIjKlMnOpQrS";
    const system: System = {
        example: "fastapi-admin-telegram-bot",
        stack: "rs-adminbot",
        domain: "admin.recruitsmart.example.com",
        smokePaths: ["/health"],
        proxiedPath: "/health",
        database: { name: "recruitsmart", user: "recruitsmart" },
        newVersion: {
            images: { "backend.image": "webplatform/fastapi-admin-bot:1.1.0" },
            versionPath: "/api/version",
            migrationApplied: alembicRevisionApplied("0002"),
        },
        images: {
            ...DATASTORE_IMAGES,
            "backend.image": "webplatform/fastapi-admin-bot:1.0.0",
            "nginx.image": LOCAL_NGINX,
        },
        secretEnv: { BOT_TOKEN: token },
    };
    const doubleName = `wp-${system.stack}-telegram-double`;
    // Test-only: Telegram cannot be reached here, so the bot talks to the labelled test double.
    (system as { env?: Record<string, string> }).env = { TELEGRAM_API_BASE_URL: `http://${doubleName}:8081` };

    /**
     * The stack config cannot add a container, and the private network only exists once `up` has made it: the
     * double is started on it (and only on it) as soon as it appears, long before the bot starts after the
     * migration.
     */
    async function startDouble(deployment: Deployment): Promise<void> {
        const network = `${deployment.name}-private`;
        const deadline = Date.now() + 300_000;
        while (networksNamed(network).length === 0) {
            if (Date.now() > deadline) return;
            await new Promise((resolve) => setTimeout(resolve, 250));
        }
        docker([
            "run",
            "-d",
            "--name",
            doubleName,
            "--network",
            network,
            "--label",
            "webplatform.test-double=telegram-bot-api",
            "--read-only",
            "--cap-drop",
            "ALL",
            "--security-opt",
            "no-new-privileges:true",
            "-e",
            `DOUBLE_BOT_TOKENS=${token}`,
            "webplatform/telegram-bot-api-double:1.0.0",
        ]);
    }

    function atDouble(method: string, path: string, body?: unknown): any {
        const script = [
            "import json, sys, urllib.request",
            "data = None if sys.argv[3] == '' else sys.argv[3].encode()",
            "req = urllib.request.Request('http://127.0.0.1:8081' + sys.argv[2], data=data, method=sys.argv[1],",
            "    headers={'Content-Type': 'application/json'})",
            "print(urllib.request.urlopen(req, timeout=10).read().decode())",
        ].join("\n");
        const args = [method, path, body === undefined ? "" : JSON.stringify(body)];
        return JSON.parse(docker(["exec", doubleName, "python3", "-c", script, ...args]));
    }

    const apps = ["backend-web-1", "bot-1"];
    deployAndCheck(
        system,
        [...apps, "nginx", "postgres", "redis"],
        apps,
        (deployment) => {
            const health = async () => {
                const answer = await deployment.get("/health");
                return { status: answer.status, body: JSON.parse(answer.body) };
            };

            it("reports both components up on /health through nginx", async () => {
                const answer = await health();
                expect(answer.status).toBe(200);
                expect(answer.body).toMatchObject({
                    status: "healthy",
                    components: { database: { status: "up" }, redis: { status: "up" } },
                });
            });

            it("runs the labelled Telegram double on the private network only", () => {
                expect(
                    docker([
                        "inspect",
                        "--format",
                        '{{range $name, $_ := .NetworkSettings.Networks}}{{$name}} {{end}}{{index .Config.Labels "webplatform.test-double"}}',
                        doubleName,
                    ]),
                ).toBe(`${deployment.name}-private telegram-bot-api`);
            });

            it("a message a candidate sends at the Telegram double reaches the admin through the bot", async () => {
                const sent = atDouble("POST", `/test/bot${token}/updates`, {
                    chat_id: 1001,
                    text: "Hello from Alice",
                    first_name: "Alice",
                    username: "alice",
                });
                expect(sent.ok).toBe(true);
                const password = docker([
                    "exec",
                    engineName(`${deployment.name}-backend-web-1`),
                    "printenv",
                    "ADMIN_PASSWORD",
                ]);
                const auth = basic("admin", password);
                const message = await waitFor(async () => {
                    const answer = await deployment.get("/api/messages?direction=in", { headers: auth });
                    const messages: any[] = JSON.parse(answer.body).messages ?? [];
                    return messages.find((m) => m.text === "Hello from Alice");
                }, 60_000);
                expect(message).toMatchObject({ text: "Hello from Alice" });
            });

            it("an admin broadcast reaches the candidate at the Telegram double through Redis pub/sub and the bot", async () => {
                const web = engineName(`${deployment.name}-backend-web-1`);
                expect(docker(["exec", web, "printenv", "NOTIFICATION_BROKER"])).toBe("redis");
                const auth = basic("admin", docker(["exec", web, "printenv", "ADMIN_PASSWORD"]));
                const text = "Interview on Monday at 10:00";
                const queued = await deployment.get("/api/broadcast", {
                    method: "POST",
                    body: JSON.stringify({ text }),
                    headers: auth,
                });
                expect(queued.status, queued.body).toBe(202);
                // PUBLISH's answer: the bot is subscribed to the channel on the platform's Redis.
                expect(JSON.parse(queued.body)).toMatchObject({ status: "pending", listeners: 1 });
                const delivered = await waitFor(async () => {
                    const sent: any[] = atDouble("GET", `/test/bot${token}/sent?chat_id=1001`).result;
                    return sent.find((m) => m.text === text);
                }, 30_000);
                expect(delivered).toMatchObject({ chat: { id: 1001 }, text });
                const broadcast = JSON.parse(
                    (await deployment.get(`/api/broadcasts/${JSON.parse(queued.body).id}`, { headers: auth })).body,
                );
                expect(broadcast).toMatchObject({ recipients: 1 });
            });
        },
        {
            duringUp: startDouble,
            late: (deployment) => {
                it("/health is 503 while the Redis container is paused, and 200 again once it is back", async () => {
                    const redis = `${deployment.name}-redis`;
                    docker(["pause", redis]);
                    try {
                        const down = await deployment.get("/health");
                        expect(down.status, down.body).toBe(503);
                        expect(JSON.parse(down.body)).toMatchObject({
                            status: "unhealthy",
                            components: { redis: { status: "down" }, database: { status: "up" } },
                        });
                    } finally {
                        docker(["unpause", redis]);
                    }
                    const up = await waitFor(async () => {
                        const answer = await deployment.get("/health");
                        return answer.status === 200 ? answer : undefined;
                    }, 30_000);
                    expect(up?.status).toBe(200);
                });
            },
            beforeDestroy: () => dockerRun(["rm", "-f", doubleName]),
        },
    );
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
    badLogLines,
    containersNamed,
    docker,
    engineName,
    freeLoopbackPort,
    networksNamed,
    removePlatform,
    resourceNameOf,
    settledHealth,
    volumesNamed,
} from "./docker";
import { http, https, websocketEcho } from "./http";
import { PulumiProject, pulumiVersion } from "./pulumiCli";
import { tlsProbe } from "./tlsProbe";
import { spawnSync } from "node:child_process";
import { createPublicKey } from "node:crypto";
import { connect as tlsConnect } from "node:tls";
import {
    DEFAULT_CONTENT_SECURITY_POLICY,
    TWO_YEARS_SECONDS,
    securityHeaders,
    uploadHeaders,
} from "../../rules/securityHeaders";

/** The dev stack's headers: the defaults of the one table. */
const HEADER_DEFAULTS = {
    hstsMaxAgeSeconds: TWO_YEARS_SECONDS,
    hstsPreload: false,
    contentSecurityPolicy: DEFAULT_CONTENT_SECURITY_POLICY,
};
const lowerCased = (headers: ReadonlyArray<readonly [string, string]>) =>
    Object.fromEntries(headers.map(([name, value]) => [name.toLowerCase(), value]));
import { LoopFigures, startRequestLoop } from "./requestLoop";
import { DEFAULT_HEALTH_TIMING, healthBudgetSeconds } from "../../components/hardening";

/**
 * The README's main job under the real engine: the dev stack previews, deploys on the local Docker engine with
 * the real providers, keeps every secret out of state and output, and is idempotent.
 */
const NAME = "wpe2e";

describe("dev stack on the real engine", () => {
    const project = new PulumiProject("dev");
    let upOutput = "";

    let httpsPort = 0;
    let httpPort = 0;

    beforeAll(async () => {
        removePlatform(`${NAME}-`);
        await project.initStack("dev", "Pulumi.dev.yaml");
        // A name and ports of its own, so a developer's running dev stack is left alone.
        await project.setConfig("webplatform:name", NAME);
        httpPort = await freeLoopbackPort();
        await project.setConfig("nginx.httpPort", String(httpPort), { path: true });
        httpsPort = await freeLoopbackPort();
        await project.setConfig("nginx.httpsPort", String(httpsPort), { path: true });
        // User uploads too, so the edge's /media/ headers are checked live.
        await project.setConfig("backend.mediaDirectory", "/var/lib/app/media", { path: true });
    });

    /** A query's rows in the platform's database, as psql prints them unaligned. */
    const sql = (query: string) =>
        docker(["exec", `${NAME}-postgres`, "psql", "-U", "app", "-d", "app", "-tAc", query]);

    /**
     * `pulumi up` while a bounded loop of 20 requests a second GETs the version through nginx on 127.0.0.1; it must
     * succeed unless `expectFailure`.
     */
    const upUnderLoad = async (
        perSecond = 20,
        expectFailure = false,
    ): Promise<{ output: string; figures: LoopFigures; seconds: number }> => {
        const loop = startRequestLoop(httpsPort, "/api/version", {
            perSecond,
            maxRequests: perSecond * 240,
            maxMs: 240_000,
        });
        const started = Date.now();
        const up = await project.pulumi(["up", "--yes", "--stack", "dev", "--skip-preview"]);
        const seconds = (Date.now() - started) / 1000;
        const figures = await loop.stop();
        console.log(`rollout: up in ${seconds.toFixed(1)} s (exit ${up.code}), ${JSON.stringify(figures)}`);
        if (expectFailure) {
            expect(up.code, up.output).not.toBe(0);
        } else {
            expect(up.code, up.output).toBe(0);
        }
        return { output: up.output, figures, seconds };
    };
    /** IDs of the running web replicas, found by their labels. */
    const webReplicaIds = () =>
        docker([
            "ps",
            "-q",
            "--no-trunc",
            "--filter",
            `label=webplatform.component=${NAME}-backend`,
            "--filter",
            "label=webplatform.role=web",
        ])
            .split("\n")
            .filter((id) => id.length > 0)
            .sort();

    afterAll(async () => {
        await project.pulumi(["destroy", "--yes", "--stack", "dev"]);
        removePlatform(`${NAME}-`);
        project.remove();
    });

    it("runs the real pulumi CLI, built at its pinned release", () => {
        expect(pulumiVersion()).toBe("v3.259.0");
    });

    it("previews the dev stack with every resource a create", async () => {
        const preview = await project.must(["preview", "--stack", "dev", "--json"]);
        const plan = JSON.parse(preview.stdout);
        const creates = plan.steps.filter((step: any) => step.op === "create");
        const containers = creates.filter((step: any) => step.newState?.type === "docker:index/container:Container");
        expect(containers.map((step: any) => resourceNameOf(step.newState.inputs.name)).sort()).toEqual([
            `${NAME}-backend-web-1`,
            `${NAME}-nginx`,
            `${NAME}-postgres`,
            `${NAME}-redis`,
            `${NAME}-scheduler-1`,
            `${NAME}-worker-1`,
        ]);
        expect(containersNamed(`${NAME}-`)).toEqual([]);
    });

    it("deploys every container healthy", async () => {
        upOutput = (await project.must(["up", "--yes", "--stack", "dev", "--skip-preview"])).output;
        const running = containersNamed(`${NAME}-`);
        expect(running.map(resourceNameOf)).toEqual([
            `${NAME}-backend-web-1`,
            `${NAME}-nginx`,
            `${NAME}-postgres`,
            `${NAME}-redis`,
            `${NAME}-scheduler-1`,
            `${NAME}-worker-1`,
        ]);
        for (const container of running) {
            expect(
                `${container} ${docker(["inspect", "--format", "{{.State.Health.Status}} {{.RestartCount}}", container])}`,
            ).toBe(`${container} healthy 0`);
        }
        expect(networksNamed(`${NAME}-`)).toEqual([`${NAME}-edge`, `${NAME}-private`]);
    });

    it("keeps nginx's TLS key out of every container's docker inspect, the state and the output, and serves TLS with it", async () => {
        const nginx = `${NAME}-nginx`;
        // The key as nginx reads it: a file of its own user, mode 0600, on its read-only key volume.
        expect(docker(["exec", nginx, "stat", "-c", "%a %U", "/etc/nginx/tls/private-key.pem"])).toBe("600 nginx");
        const key = docker(["exec", nginx, "cat", "/etc/nginx/tls/private-key.pem"]);
        expect(key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
        // Every base64 line of the key: no part of it may show anywhere below.
        const parts = key.split("\n").filter((line) => /^[A-Za-z0-9+/=]{16,}$/.test(line));
        expect(parts.length).toBeGreaterThan(5);
        const inspected = containersNamed(`${NAME}-`).map((container) => docker(["inspect", container]));
        const state = project.stateFileText("dev");
        for (const part of parts) {
            expect(inspected.filter((text) => text.includes(part))).toEqual([]);
            expect(state.includes(part)).toBe(false);
            expect(upOutput.includes(part)).toBe(false);
        }
        // The TLS key writer left no container behind, and nginx's environment names no key.
        expect(docker(["ps", "-aq", "--filter", "label=webplatform.role=tls-key"])).toBe("");
        expect(docker(["inspect", "-f", "{{json .Config.Env}}", nginx])).not.toContain("PRIVATE");
        // The certificate nginx serves is the one of this key.
        const served = await new Promise<Buffer>((resolve, reject) => {
            const socket = tlsConnect(
                { host: "127.0.0.1", port: httpsPort, servername: "localhost", rejectUnauthorized: false },
                () => {
                    resolve(socket.getPeerCertificate().pubkey!);
                    socket.end();
                },
            );
            socket.on("error", reject);
        });
        expect(served.equals(createPublicKey(key).export({ type: "spki", format: "der" }))).toBe(true);
    });

    it("runs each app container under one init, Docker's, and no app container logs a warning", () => {
        const apps = [`${NAME}-backend-web-1`, `${NAME}-scheduler-1`, `${NAME}-worker-1`].map(engineName);
        for (const container of apps) {
            // PID 1 is Docker's init (the platform's `init: true`); the image adds no second one under it.
            const processes = docker(["exec", container, "sh", "-c", "cat /proc/[0-9]*/comm"]).split("\n");
            expect({ container, init: docker(["exec", container, "cat", "/proc/1/comm"]) }).toEqual({
                container,
                init: "docker-init",
            });
            expect(processes.filter((name) => /^(tini|dumb-init)$/.test(name))).toEqual([]);
        }
        expect(badLogLines(apps)).toEqual([]);
    });

    it("keeps every generated secret out of the state file and the CLI output", async () => {
        const exported = JSON.parse(
            (await project.must(["stack", "export", "--stack", "dev", "--show-secrets"])).stdout,
        );
        const passwords = exported.deployment.resources
            .filter((resource: any) => resource.type === "random:index/randomPassword:RandomPassword")
            // --show-secrets prints a secret as { <secret signature>, plaintext: <JSON text> }.
            .map((resource: any) => JSON.parse(resource.outputs.result.plaintext));
        expect(passwords.length).toBe(3);
        const state = project.stateFileText("dev");
        for (const password of passwords) {
            expect(password).toMatch(/^[A-Za-z0-9]{40,64}$/);
            expect(state.includes(password)).toBe(false);
            expect(upOutput.includes(password)).toBe(false);
        }
        const outputs = (await project.must(["stack", "output", "--stack", "dev", "--json"])).stdout;
        for (const password of passwords) {
            expect(outputs.includes(password)).toBe(false);
        }
    });

    it("ran its own smoke check as a step of the stack: containers, HTTPS headers, health, WebSocket", async () => {
        const report = (await project.must(["stack", "output", "--stack", "dev", "smokeCheck"])).stdout;
        expect(report).toContain(`ok: ${engineName(`${NAME}-backend-web-1`)} running, healthy, never restarted`);
        expect(report).toContain(
            "ok: HTTPS answers with Strict-Transport-Security, X-Content-Type-Options, X-Frame-Options, Referrer-Policy, Content-Security-Policy, Cross-Origin-Opener-Policy, Permissions-Policy",
        );
        expect(report).toContain(
            "ok: /media/ answers with Strict-Transport-Security, X-Content-Type-Options, X-Frame-Options, Referrer-Policy, Content-Security-Policy, Cross-Origin-Opener-Policy, Permissions-Policy, Content-Disposition",
        );
        expect(report).toContain("ok: GET /health 200");
        expect(report).toContain("ok: GET / 200");
        expect(report).toContain("ok: GET /api/migrations 200");
        expect(report).toContain(
            'ok: WebSocket /ws/ round trip: sent "smoke check over websocket", the answer "smoke check over websocket" contains "smoke check over websocket"',
        );
    });

    it("answers through nginx over HTTPS on 127.0.0.1 with the security headers and health of both stores", async () => {
        const answer = await https(httpsPort, "/api/health");
        expect(answer.status).toBe(200);
        expect(JSON.parse(answer.body)).toMatchObject({
            status: "healthy",
            components: { database: { status: "up" }, redis: { status: "up" } },
        });
        expect(answer.headers).toMatchObject(lowerCased(securityHeaders(HEADER_DEFAULTS)));
        expect(answer.headers.server).toBe("nginx");
        const redirect = await http(httpPort, "/api/health");
        expect(redirect.status).toBe(301);
        expect(redirect.headers.location).toBe(`https://localhost:${httpsPort}/api/health`);
    });

    it("the edge speaks Mozilla's intermediate TLS only: no weak suite or protocol, no tickets, HTTP/2", () => {
        const probe = (...options: string[]) => tlsProbe(httpsPort, "localhost", options);
        const refused = {
            "a suite without forward secrecy": probe("-tls1_2", "-cipher", "AES128-GCM-SHA256:@SECLEVEL=0"),
            "a CBC suite with SHA-1": probe("-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0"),
            "TLS 1.1": probe("-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"),
        };
        for (const [what, answer] of Object.entries(refused)) {
            expect({ what, refusedByServer: answer.refusedByServer, output: answer.output }).toMatchObject({
                what,
                refusedByServer: true,
            });
        }
        const tls12 = probe("-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256");
        expect(tls12.negotiated).toBe("TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256");
        expect(tls12.ticket).toBe(false);
        expect(probe("-tls1_3").negotiated).toMatch(
            /^TLSv1\.3 TLS_(AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256|AES_128_GCM_SHA256)$/,
        );
        expect(probe("-alpn", "h2,http/1.1").alpn).toBe("h2");
    });

    it("the edge refuses a foreign Host on both ports instead of redirecting to it", async () => {
        // 444: nginx closes the connection without an answer, which curl reports as exit 52 (empty reply).
        const plain = spawnSync(
            "curl",
            [
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "--max-time",
                "10",
                "-H",
                "Host: evil.example",
                `http://127.0.0.1:${httpPort}/`,
            ],
            { encoding: "utf8", timeout: 15_000 },
        );
        expect({ code: plain.status, answer: plain.stdout }).toEqual({ code: 52, answer: "000" });
        const foreign = await https(httpsPort, "/api/health", { host: "evil.example" });
        expect(foreign.status).toBe(421);
        expect(foreign.body).not.toContain("healthy");
        expect(foreign.headers).toMatchObject(lowerCased(securityHeaders(HEADER_DEFAULTS)));
        // The site's own name still reaches the site, with or without a port in Host.
        expect((await https(httpsPort, "/api/health", { headers: { Host: `localhost:${httpsPort}` } })).status).toBe(
            200,
        );
    });

    it("serves uploads as sandboxed downloads, so an uploaded SVG cannot run script on the site", async () => {
        // A container of this test's own writes the upload into the stack's media volume and is removed.
        docker([
            "run",
            "--rm",
            "--network",
            "none",
            "-v",
            `${NAME}-media:/media`,
            "webplatform/nginx:1.22",
            "sh",
            "-c",
            `printf '%s' '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>' > /media/x.svg && chmod 644 /media/x.svg`,
        ]);
        const upload = await https(httpsPort, "/media/x.svg");
        expect(upload.status).toBe(200);
        expect(upload.body).toContain("<script>");
        expect(upload.headers).toMatchObject(lowerCased(uploadHeaders(HEADER_DEFAULTS)));
        expect(upload.headers["content-type"]).toBe("image/svg+xml");
    });

    it("processes a job queued through the API in a worker, and echoes over the WebSocket", async () => {
        const queued = await https(httpsPort, "/api/jobs", {
            method: "POST",
            body: JSON.stringify({ payload: "hello platform" }),
        });
        expect(queued.status).toBe(202);
        const { id } = JSON.parse(queued.body);
        let job: any = {};
        for (let attempt = 0; attempt < 50 && job.status !== "done"; attempt++) {
            await new Promise((resolve) => setTimeout(resolve, 200));
            job = JSON.parse((await https(httpsPort, `/api/jobs/${id}`)).body);
        }
        expect(job).toMatchObject({ status: "done", result: "mroftalp olleh" });
        const echo = await websocketEcho(httpsPort, "/ws/", "ping over nginx");
        expect(echo.statusLine).toBe("HTTP/1.1 101 Switching Protocols");
        expect(echo.echoed).toBe("ping over nginx");
    });

    it("ran the migration exactly once, before the web and worker containers started", () => {
        const rows = sql(
            "SELECT version || ' ' || extract(epoch from applied_at) FROM schema_migrations ORDER BY version",
        ).split("\n");
        expect(rows.map((row) => row.split(" ")[0])).toEqual(["1", "2"]);
        const lastApplied = Math.max(...rows.map((row) => Number(row.split(" ")[1])));
        for (const resource of [`${NAME}-backend-web-1`, `${NAME}-worker-1`, `${NAME}-scheduler-1`]) {
            const container = engineName(resource);
            const started = Date.parse(docker(["inspect", "-f", "{{.State.StartedAt}}", container])) / 1000;
            expect(started).toBeGreaterThan(lastApplied);
        }
    });

    it("a second up with no changes changes nothing", async () => {
        await project.must(["up", "--yes", "--stack", "dev", "--expect-no-changes"]);
    });

    it("every container comes back healthy when Docker restarts it (a crash or an engine restart)", async () => {
        const running = containersNamed(`${NAME}-`);
        docker(["restart", "--time", "10", ...running]);
        expect(await settledHealth(running, 90_000)).toEqual(running.map((container) => `${container} healthy`));
        expect((await https(httpsPort, "/api/health")).status).toBe(200);
        await project.must(["up", "--yes", "--stack", "dev", "--expect-no-changes"]);
    });

    it("a new app image re-runs migrations, replaces the app containers and keeps every row", async () => {
        const countJobs = () => sql("SELECT count(*) FROM jobs WHERE payload = 'hello platform'");
        expect(countJobs()).toBe("1");
        const webBefore = docker(["inspect", "-f", "{{.Id}}", engineName(`${NAME}-backend-web-1`)]);
        const postgresBefore = docker(["inspect", "-f", "{{.Id}}", `${NAME}-postgres`]);
        await project.setConfig("backend.image", "webplatform/sample-app:1.1.0", { path: true });
        const { output: up, figures } = await upUnderLoad();
        expect(up).toMatch(/command:local:Command\s+wpe2e-backend-migrate-run\s+created replacement/);
        expect(docker(["inspect", "-f", "{{.Id}}", engineName(`${NAME}-backend-web-1`)])).not.toBe(webBefore);
        expect(docker(["ps", "-aq", "--filter", `id=${webBefore}`])).toBe("");
        // Zero downtime with one replica: the new container served before the old one stopped.
        expect(figures).toMatchObject({ failed: 0, failures: [], versions: ["1.0.0", "1.1.0"] });
        expect(docker(["inspect", "-f", "{{.Id}}", `${NAME}-postgres`])).toBe(postgresBefore);
        expect(JSON.parse((await https(httpsPort, "/api/version")).body)).toEqual({ version: "1.1.0" });
        expect(countJobs()).toBe("1");
    });

    it("a failing migration stops the rollout with its log and leaves the running containers healthy", async () => {
        const webBefore = docker(["inspect", "-f", "{{.Id}}", engineName(`${NAME}-backend-web-1`)]);
        await project.setConfigList("backend.migrationCommand", [
            "sh",
            "-c",
            "echo 'relation \"jobs\" is broken' >&2; exit 3",
        ]);
        await project.setConfig("backend.image", "webplatform/sample-app:1.0.0", { path: true });
        const failed = await project.pulumi(["up", "--yes", "--stack", "dev", "--skip-preview"]);
        expect(failed.code).not.toBe(0);
        expect(failed.output).toContain('relation "jobs" is broken');
        expect(failed.output).toContain("exit status 3");
        expect(docker(["inspect", "-f", "{{.Id}} {{.State.Health.Status}}", engineName(`${NAME}-backend-web-1`)])).toBe(
            `${webBefore} healthy`,
        );
        expect((await https(httpsPort, "/api/health")).status).toBe(200);
        expect(JSON.parse((await https(httpsPort, "/api/version")).body)).toEqual({ version: "1.1.0" });
        await project.setConfigList("backend.migrationCommand", ["sample-app", "migrate"]);
        await project.setConfig("backend.image", "webplatform/sample-app:1.1.0", { path: true });
        await project.must(["up", "--yes", "--stack", "dev", "--skip-preview"]);
        await project.must(["up", "--yes", "--stack", "dev", "--expect-no-changes"]);
    });

    it("a web release that exits at start fails up at once with its exit code and log, fails no request, keeps the old version serving", async () => {
        const [oldWeb] = webReplicaIds();
        expect(webReplicaIds()).toHaveLength(1);
        const serving = JSON.parse((await https(httpsPort, "/api/version")).body).version as string;
        // A real failure of the real app: the release passes an option the web command does not know (exit 2).
        await project.setConfigList("backend.command", ["sample-app", "web", "--workers", "4"]);
        const { output, figures, seconds } = await upUnderLoad(20, true);
        expect(figures).toMatchObject({ failed: 0, failures: [], versions: [serving] });
        // The gate fails at the new container's first death, long before its healthcheck's budget (120 s) is spent.
        expect(seconds).toBeLessThan(healthBudgetSeconds(DEFAULT_HEALTH_TIMING) / 2);
        const failure = new RegExp(
            `container (${NAME}-backend-web-1-[0-9a-f]+) exited (with code 2 )?before it became healthy: it is (running|restarting|exited) \\(health: (starting|unhealthy)\\), restarted \\d times, last exit code \\d+; its last log lines:\\n( +.*\\n)* +sample-app: error: unrecognized arguments: --workers 4`,
        );
        expect(output).toMatch(failure);
        // The container's facts, not the gate's script.
        expect(output).not.toContain("docker events");
        expect(output).not.toContain("mkfifo");
        const newWeb = failure.exec(output)![1];
        // create-before-delete: the old container keeps serving, untouched, beside the failed new one.
        expect(docker(["inspect", "-f", "{{.State.Status}} {{.State.Health.Status}}", oldWeb])).toBe("running healthy");
        expect(docker(["inspect", "-f", "{{.Config.Labels}}", newWeb])).toContain(`${NAME}-backend`);
        expect(JSON.parse((await https(httpsPort, "/api/version")).body)).toEqual({ version: serving });
        // The fixed release rolls out; the failed container and the old one are both gone afterwards.
        await project.setConfigList("backend.command", ["sample-app", "web"]);
        expect((await upUnderLoad()).figures).toMatchObject({ failed: 0, failures: [], versions: [serving] });
        const after = webReplicaIds();
        expect(after).toHaveLength(1);
        expect(docker(["ps", "-aq", "--filter", `label=webplatform.component=${NAME}-backend`])).toBe(
            after[0].slice(0, 12),
        );
        await project.must(["up", "--yes", "--stack", "dev", "--expect-no-changes"]);
    });

    it("with 3 web replicas, a new image rolls out with 0 failed requests and no old replica left", async () => {
        await project.setConfig("backend.replicas", "3", { path: true });
        expect((await upUnderLoad()).figures).toMatchObject({ failed: 0, versions: ["1.1.0"] });
        const before = webReplicaIds();
        expect(before).toHaveLength(3);
        await project.setConfig("backend.image", "webplatform/sample-app:1.0.0", { path: true });
        const { figures } = await upUnderLoad();
        expect(figures).toMatchObject({ failed: 0, failures: [], versions: ["1.1.0", "1.0.0"] });
        const after = webReplicaIds();
        expect(after).toHaveLength(3);
        expect(after.filter((id) => before.includes(id))).toEqual([]);
        expect(
            docker(["ps", "-aq", "--filter", `label=webplatform.component=${NAME}-backend`]).split("\n"),
        ).toHaveLength(3);
    });

    it("a worker change fails no request and loses no job queued before or during the rollout", async () => {
        const workerBefore = docker(["inspect", "-f", "{{.Id}}", engineName(`${NAME}-worker-1`)]);
        await project.setConfig("workers.worker.env.ROLLOUT_MARK", "2", { path: true });
        const queue = async (payload: string) => {
            const answer = await https(httpsPort, "/api/jobs", { method: "POST", body: JSON.stringify({ payload }) });
            expect(answer.status, answer.body).toBe(202);
            return JSON.parse(answer.body).id as string;
        };
        const ids = [await queue("before rollout")];
        let upDone = false;
        // 18 reads and 2 job posts a second stay within nginx's default rate limit of 20 a second per client.
        const rollout = upUnderLoad(18).finally(() => (upDone = true));
        // One job every 500 ms while the worker is replaced, at most 120.
        for (let index = 0; !upDone && index < 120; index++) {
            ids.push(await queue(`during rollout ${index}`));
            await new Promise((resolve) => setTimeout(resolve, 500));
        }
        const { figures } = await rollout;
        expect(figures).toMatchObject({ failed: 0, failures: [], versions: ["1.0.0"] });
        expect(docker(["inspect", "-f", "{{.Id}}", engineName(`${NAME}-worker-1`)])).not.toBe(workerBefore);
        // Read in the database, not through the API, so the check's own reads stay under nginx's rate limit.
        const doneOfQueued = () =>
            sql(
                `SELECT count(*) FILTER (WHERE status = 'done') || ' of ' || count(*) FROM jobs WHERE id IN (${ids.map(Number).join(",")})`,
            );
        for (let attempt = 0; attempt < 60 && doneOfQueued() !== `${ids.length} of ${ids.length}`; attempt++) {
            await new Promise((resolve) => setTimeout(resolve, 500));
        }
        expect(ids.length).toBeGreaterThan(2);
        expect(doneOfQueued()).toBe(`${ids.length} of ${ids.length}`);
    });

    it("a PostgreSQL crash that Docker recovered from does not block the next deploy", async () => {
        const postgres = `${NAME}-postgres`;
        const inspect = (format: string) => docker(["inspect", "-f", format, postgres]);
        const restartsBefore = Number(inspect("{{.RestartCount}}"));
        // kill -9 of the container's main process, as a crash would end it; Docker's restart policy brings it back.
        process.kill(Number(inspect("{{.State.Pid}}")), "SIGKILL");
        // Right after the restart Docker may still report the dead process's health, so wait for healthy itself.
        const restartedAndHealthy = () => inspect("{{.RestartCount}} {{.State.Health.Status}}");
        for (let attempt = 0; attempt < 240 && restartedAndHealthy() !== `${restartsBefore + 1} healthy`; attempt++) {
            await new Promise((resolve) => setTimeout(resolve, 250));
        }
        expect(restartedAndHealthy()).toBe(`${restartsBefore + 1} healthy`);
        // A worker change makes the smoke check run again, now with a restarted PostgreSQL.
        await project.setConfig("workers.worker.env.ROLLOUT_MARK", "3", { path: true });
        await project.must(["up", "--yes", "--stack", "dev", "--skip-preview"]);
        const report = (await project.must(["stack", "output", "--stack", "dev", "smokeCheck"])).stdout;
        expect(report).toMatch(
            new RegExp(
                `^ok: ${postgres} running, healthy, up \\d+s since it recovered from ${restartsBefore + 1} restarts$`,
                "m",
            ),
        );
    });

    it("destroy removes containers and networks and keeps the data volumes", async () => {
        await project.must(["destroy", "--yes", "--stack", "dev"]);
        expect(containersNamed(`${NAME}-`)).toEqual([]);
        expect(networksNamed(`${NAME}-`)).toEqual([]);
        expect(volumesNamed(`${NAME}-`)).toEqual([
            `${NAME}-data`,
            `${NAME}-media`,
            `${NAME}-postgres-data`,
            `${NAME}-redis-data`,
            `${NAME}-static`,
        ]);
    });
});

// Longer than ~300 lines on purpose: one Platform is built per describe block and every block reads it, so the
// assertions about one deployment stay in one file.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import {
    COMMAND,
    CONTAINER,
    autonamed,
    NETWORK,
    RecordedResource,
    VOLUME,
    isSecret,
    named,
    ofType,
    recorded,
    resetRecorded,
    settle,
    valueOf,
    waitsFor,
} from "../mocks";
import { dockerCliInterpreter, sshWrapperScript } from "../../components/dockerCli";
import { Platform, PlatformArgs } from "../../components/platform";
import { DEFAULT_NGINX_IMAGE } from "../../components/schemas/nginx";
import { DEFAULT_POSTGRES_IMAGE } from "../../components/schemas/postgres";
import { DEFAULT_REDIS_IMAGE } from "../../components/schemas/redis";

const djangoPlatform: PlatformArgs = {
    environment: "production",
    domain: "thebot.example.com",
    networkMtu: 1450,
    postgres: { database: "thebot_db", user: "thebot" },
    backend: {
        image: { reference: "registry.example.com/thebot/backend:1.0.0" },
        command: ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000"],
        healthPath: "/api/system/health/live/",
        migrationCommand: ["python", "manage.py", "migrate", "--noinput"],
        env: { DEBUG: "False", ALLOWED_HOSTS: "thebot.example.com" },
        secretEnv: { TELEGRAM_BOT_TOKEN: "123:abc" },
        generatedSecrets: { SECRET_KEY: "secretKey" },
        redisUrlVariables: { REDIS_URL: "cache", CELERY_BROKER_URL: "broker", CHANNELS_REDIS_URL: "channels" },
        staticDirectory: "/app/staticfiles",
        mediaDirectory: "/var/lib/thebot/media",
    },
    workers: {
        daphne: {
            command: ["daphne", "-b", "0.0.0.0", "-p", "8001", "config.asgi:application"],
            port: 8001,
            healthcheckCommand: ["python3", "-c", "import socket; socket.create_connection(('127.0.0.1', 8001), 3)"],
        },
        "celery-worker": {
            command: ["celery", "-A", "config", "worker"],
            healthcheckCommand: ["CMD-SHELL", "celery -A config inspect ping -d celery@$HOSTNAME"],
            replicas: 2,
        },
        "celery-beat": {
            command: ["celery", "-A", "config", "beat"],
            healthcheckCommand: ["CMD-SHELL", "find /tmp/celerybeat-schedule -mmin -5 | grep -q ."],
        },
    },
    nginx: {
        routes: [
            { path: "/api/", service: "backend" },
            { path: "/ws/", service: "daphne", websocket: true },
        ],
        rootDirectory: "/usr/share/nginx/html",
        certificatePem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        privateKeyPem: "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
    },
};

async function deploy(args: PlatformArgs = djangoPlatform) {
    const platform = new Platform("thebot", args);
    await valueOf(platform.backend.migration.log);
    await settle();
    return platform;
}

function envNames(container: RecordedResource): string[] {
    return container.inputs.envs.map((entry: string) => entry.slice(0, entry.indexOf("=")));
}

describe("Platform", () => {
    // These tests only read what one deployment of the production arguments registered, so they share it: each
    // deployment under the mocks registers some 35 resources, which is most of this file's time.
    describe("with the production arguments", () => {
        let platform: Platform;
        beforeAll(async () => {
            resetRecorded();
            platform = await deploy();
        });

        it("deploys the seven containers of the Django/Celery/Channels system, named from the platform", () => {
            expect(
                ofType(CONTAINER)
                    .map((container) => container.inputs.name)
                    .sort(),
            ).toEqual([
                autonamed(CONTAINER, "thebot-backend-web-1", {}).name,
                "thebot-celery-beat-1",
                "thebot-celery-worker-1",
                "thebot-celery-worker-2",
                autonamed(CONTAINER, "thebot-daphne-1", {}).name,
                "thebot-nginx",
                "thebot-postgres",
                "thebot-redis",
            ]);
        });

        it("starts a new web or port-serving container beside the old one, and stops a background process first", () => {
            const replacement = (name: string) => {
                const container = named(name);
                return {
                    named: container.wireInputs.name !== autonamed(CONTAINER, name, {}).name ? "fixed" : "auto",
                    deleteBeforeReplace: container.deleteBeforeReplaceGiven
                        ? container.deleteBeforeReplace
                        : "provider",
                    grace: [
                        container.inputs.stopSignal,
                        container.inputs.stopTimeout,
                        container.inputs.destroyGraceSeconds,
                    ],
                };
            };
            const startNewFirst = { named: "auto", deleteBeforeReplace: false, grace: ["SIGTERM", 20, 20] };
            const stopOldFirst = { named: "fixed", deleteBeforeReplace: "provider", grace: ["SIGTERM", 20, 20] };
            expect(replacement("thebot-backend-web-1")).toEqual(startNewFirst);
            expect(replacement("thebot-daphne-1")).toEqual(startNewFirst);
            expect(replacement("thebot-celery-beat-1")).toEqual(stopOldFirst);
            expect(replacement("thebot-celery-worker-2")).toEqual(stopOldFirst);
        });

        it("starts in health order: database and cache, then migration, then web and workers, then nginx", () => {
            const migration = ofType(COMMAND).find((command) => command.name === "thebot-backend-migrate-run")!;
            const postgres = named("thebot-postgres-server");
            const redis = named("thebot-redis-server");
            expect(waitsFor(migration, postgres)).toBe(true);
            expect(waitsFor(migration, redis)).toBe(true);
            expect(waitsFor(migration, named("thebot-postgres-password-sync"))).toBe(true);
            const appContainers = ofType(CONTAINER).filter((container) =>
                container.inputs.labels.some(
                    (label: any) => label.label === "webplatform.role" && ["web", "worker"].includes(label.value),
                ),
            );
            expect(appContainers).toHaveLength(5);
            for (const container of appContainers) {
                expect(waitsFor(container, migration)).toBe(true);
            }
            const nginx = named("thebot-nginx-server");
            const smokeCheck = named("thebot-smoke-check-run");
            const gates = ofType(COMMAND).filter((command) => command.name.endsWith("-healthy"));
            // Each app container has one health gate instead of the provider's wait, and nginx and the smoke check
            // wait for every gate, so they start once the containers are healthy, not once they exist.
            expect(gates.map((gate) => gate.name).sort()).toEqual(
                appContainers.map((container) => `${container.name}-healthy`).sort(),
            );
            for (const container of appContainers) {
                const gate = named(`${container.name}-healthy`);
                expect([container.name, container.inputs.wait]).toEqual([container.name, false]);
                expect(gate.dependencies).toEqual([container.urn]);
                expect(gate.inputs).toMatchObject({
                    create: "exec /bin/sh -s",
                    environment: { WEBPLATFORM_HEALTH_GATE: container.name },
                    triggers: [`${container.name}-id`],
                });
                expect(gate.inputs.stdin).toContain(`container=${container.name}-id\n`);
                expect(waitsFor(nginx, gate)).toBe(true);
                expect(waitsFor(smokeCheck, gate)).toBe(true);
                expect(nginx.dependencies).not.toContain(container.urn);
            }
            expect(waitsFor(postgres, migration)).toBe(false);
        });

        it("keeps database and cache on the internal network only and publishes ports only from nginx", () => {
            const privateNetwork = named("thebot-private");
            expect(privateNetwork.inputs).toMatchObject({
                internal: true,
                options: { "com.docker.network.driver.mtu": "1450" },
            });
            expect(named("thebot-edge").inputs.internal).toBeUndefined();
            expect(ofType(NETWORK)).toHaveLength(2);
            for (const name of ["thebot-postgres-server", "thebot-redis-server"]) {
                expect(named(name).inputs.networksAdvanced.map((network: any) => network.name)).toEqual([
                    "thebot-private",
                ]);
            }
            const publishing = ofType(CONTAINER).filter((container) => (container.inputs.ports ?? []).length > 0);
            expect(publishing.map((container) => container.name)).toEqual(["thebot-nginx-server"]);
            expect(named("thebot-nginx-server").inputs.ports).toEqual([
                { internal: 8080, external: 80, ip: "0.0.0.0", protocol: "tcp" },
                { internal: 8443, external: 443, ip: "0.0.0.0", protocol: "tcp" },
            ]);
        });

        it("gives web and workers the same settings, with every generated and user secret as a secret", () => {
            const expected = [
                "ALLOWED_HOSTS",
                "CELERY_BROKER_URL",
                "CHANNELS_REDIS_URL",
                "DATABASE_URL",
                "DEBUG",
                "ENVIRONMENT",
                "REDIS_URL",
                "SECRET_KEY",
                "TELEGRAM_BOT_TOKEN",
            ];
            for (const name of ["thebot-backend-web-1", "thebot-celery-worker-1", "thebot-daphne-1"]) {
                const container = named(name);
                expect(envNames(container)).toEqual(expected);
                expect(isSecret(container.wireInputs.envs)).toBe(true);
            }
            const web = named("thebot-backend-web-1").inputs.envs as string[];
            const value = (key: string) => web.find((entry) => entry.startsWith(`${key}=`))!.slice(key.length + 1);
            expect(value("SECRET_KEY")).toMatch(/^[A-Za-z0-9]{64}$/);
            expect(value("DATABASE_URL")).toMatch(
                /^postgresql:\/\/thebot:[A-Za-z0-9]{40}@thebot-postgres:5432\/thebot_db$/,
            );
            expect(value("CELERY_BROKER_URL")).toMatch(/^redis:\/\/:[A-Za-z0-9]{40}@thebot-redis:6379\/0$/);
            expect(value("REDIS_URL")).toMatch(/^redis:\/\/:[A-Za-z0-9]{40}@thebot-redis:6379\/1$/);
            expect(value("CHANNELS_REDIS_URL")).toMatch(/^redis:\/\/:[A-Za-z0-9]{40}@thebot-redis:6379\/2$/);
        });

        it("runs the migration as a hardened one-shot container of the backend image, secrets only in its environment", () => {
            const migration = named("thebot-backend-migrate-run");
            const image = named("thebot-backend-image");
            expect(image.inputs.name).toBe("registry.example.com/thebot/backend:1.0.0");
            const create: string = migration.inputs.create;
            expect(create).toMatch(
                /^docker run --rm --label webplatform.role=migration --network thebot-private --user 10001:10001 --read-only /,
            );
            expect(create).toContain("--security-opt no-new-privileges:true --cap-drop ALL");
            expect(create).toContain("--env DATABASE_URL --env DEBUG");
            expect(create).toMatch(/ sha256:[a-f0-9]{64} python manage.py migrate --noinput 2>&1$/);
            expect(create).not.toMatch(/postgresql:\/\//);
            expect(isSecret(migration.wireInputs.environment)).toBe(true);
            expect(migration.inputs.triggers).toEqual([
                expect.stringMatching(/^sha256:/),
                "python manage.py migrate --noinput",
            ]);
            expect(migration.additionalSecretOutputs).toEqual(["stdout", "stderr"]);
            expect(migration.replaceOnChanges).toEqual(["triggers[*]"]);
        });

        it("mounts static and media volumes read-write in the app and read-only in nginx, and retains them", () => {
            expect(named("thebot-backend-web-1").inputs.volumes).toEqual([
                { volumeName: "thebot-static", containerPath: "/app/staticfiles", readOnly: false },
                { volumeName: "thebot-media", containerPath: "/var/lib/thebot/media", readOnly: false },
            ]);
            expect(named("thebot-nginx-server").inputs.volumes).toEqual([
                { volumeName: "thebot-nginx-tls-key", containerPath: "/etc/nginx/tls", readOnly: true },
                { volumeName: "thebot-static", containerPath: "/srv/static", readOnly: true },
                { volumeName: "thebot-media", containerPath: "/srv/media", readOnly: true },
            ]);
            expect(named("thebot-static").retainOnDelete).toBe(true);
            expect(named("thebot-media").retainOnDelete).toBe(true);
        });

        it("routes /ws/ to the Daphne group with WebSocket upgrade and / to the single-page app", () => {
            const config = platform.nginx.configText;
            expect(config).toContain(
                "location /ws/ {\n            limit_req zone=perclient burst=40 nodelay;\n            set $upstream thebot-daphne:8001;\n            proxy_pass http://$upstream;",
            );
            expect(config).toContain("resolver 127.0.0.11 valid=5s ipv6=off;");
            expect(config).toContain("proxy_set_header Upgrade $http_upgrade;");
            expect(config).toContain(
                "location /api/ {\n            limit_req zone=perclient burst=40 nodelay;\n            set $upstream thebot-backend:8000;\n            proxy_pass http://$upstream;",
            );
            expect(config).toContain("root /usr/share/nginx/html;");
        });

        it("uses the user's certificate in production and makes no self-signed one", () => {
            expect(
                ofType(COMMAND)
                    .map((command) => command.name)
                    .sort(),
            ).toEqual([
                "thebot-backend-migrate-run",
                "thebot-backend-web-1-healthy",
                "thebot-celery-beat-1-healthy",
                "thebot-celery-worker-1-healthy",
                "thebot-celery-worker-2-healthy",
                "thebot-daphne-1-healthy",
                "thebot-nginx-tls-key-write-run",
                "thebot-postgres-password-sync",
                "thebot-smoke-check-run",
            ]);
            expect(isSecret(named("thebot-nginx-server").wireInputs.envs)).toBe(true);
        });

        it("hands nginx its TLS key as a file on a volume, written on stdin, in no environment or command", () => {
            const key = djangoPlatform.nginx!.privateKeyPem as string;
            const volume = named("thebot-nginx-tls-key-volume");
            expect([volume.type, volume.inputs, volume.retainOnDelete]).toEqual([
                VOLUME,
                { name: "thebot-nginx-tls-key" },
                false,
            ]);
            const writer = named("thebot-nginx-tls-key-write-run");
            // The exact step: hardened like the migration, no network, the volume, the nginx image, a script of
            // fixed text (the key is in no argv).
            expect(writer.inputs.create.replace(/sha256:[0-9a-f]{64}/, "<nginx image>")).toBe(
                "docker run --rm --interactive --label webplatform.role=tls-key --network none --user nginx --read-only " +
                    "--tmpfs /tmp:rw,size=64m --security-opt no-new-privileges:true --cap-drop ALL --memory 32m --cpus 0.25 " +
                    "--log-opt max-size=10m --volume thebot-nginx-tls-key:/etc/nginx/tls <nginx image> sh -c " +
                    '\'if [ ! -w /etc/nginx/tls ]; then echo "/etc/nginx/tls is not writable by uid $(id -u): the nginx image must create it owned by its service user with mode 0700 (see images/nginx/Dockerfile)" >&2; exit 1; fi' +
                    " && umask 077 && cat > /etc/nginx/tls/.private-key.pem.new" +
                    ' && if [ ! -s /etc/nginx/tls/.private-key.pem.new ]; then echo "no TLS private key arrived on stdin" >&2; exit 1; fi' +
                    " && mv -f /etc/nginx/tls/.private-key.pem.new /etc/nginx/tls/private-key.pem' 2>&1",
            );
            // The key travels on stdin and in the triggers, both secret, and in nothing else of the step.
            expect([writer.inputs.stdin, isSecret(writer.wireInputs.stdin)]).toEqual([key, true]);
            expect(isSecret(writer.wireInputs.triggers[2])).toBe(true);
            expect(writer.inputs.environment).toBeUndefined();
            expect(writer.inputs.create).not.toContain("MIIE");
            expect(writer.additionalSecretOutputs).toEqual(["stdout", "stderr"]);

            const nginx = named("thebot-nginx-server");
            expect(envNames(nginx).sort()).toEqual(["NGINX_CONFIG", "TLS_CERTIFICATE"]);
            expect(JSON.stringify([nginx.inputs.envs, nginx.inputs.command, nginx.inputs.labels])).not.toContain(
                "MIIE",
            );
            expect(platform.nginx.configText).toContain("ssl_certificate_key /etc/nginx/tls/private-key.pem;");
            // nginx starts after the key is written, and a new key (a replaced writer) replaces nginx.
            expect(waitsFor(nginx, writer)).toBe(true);
            expect(nginx.replaceWith).toEqual([writer.urn]);
        });

        it("exports a summary without a single secret value", () => {
            const text = JSON.stringify(platform.summary);
            expect(platform.url).toBe("https://thebot.example.com/");
            const env = named("thebot-backend-web-1").inputs.envs as string[];
            for (const entry of env) {
                const value = entry.slice(entry.indexOf("=") + 1);
                if (value.length >= 32) {
                    expect(text).not.toContain(value);
                }
            }
            expect(platform.summary.containers).toHaveLength(8);
        });

        it("names in its summary exactly the containers, volumes and networks its children registered", async () => {
            const namesOf = (type: string) => ofType(type).map((resource) => resource.inputs.name as string);
            const containers = await valueOf(pulumi.all([...platform.summary.containers]));
            expect(containers).toEqual([
                "thebot-postgres",
                "thebot-redis",
                autonamed(CONTAINER, "thebot-backend-web-1", {}).name,
                "thebot-celery-beat-1",
                "thebot-celery-worker-1",
                "thebot-celery-worker-2",
                autonamed(CONTAINER, "thebot-daphne-1", {}).name,
                "thebot-nginx",
            ]);
            expect([...containers].sort()).toEqual(namesOf(CONTAINER).sort());
            expect([...platform.summary.volumes].sort()).toEqual(namesOf(VOLUME).sort());
            expect([...platform.summary.networks].sort()).toEqual(namesOf(NETWORK).sort());
        });

        it("lists every image it runs in its summary, defaults included", () => {
            expect(platform.summary.images).toEqual({
                backend: "registry.example.com/thebot/backend:1.0.0",
                postgres: DEFAULT_POSTGRES_IMAGE,
                redis: DEFAULT_REDIS_IMAGE,
                nginx: DEFAULT_NGINX_IMAGE,
            });
        });
    });

    describe("with a remote engine", () => {
        beforeAll(async () => {
            resetRecorded();
            await deploy({
                ...djangoPlatform,
                dockerHost: "ssh://deploy@203.0.113.10",
                dockerSshOptions: ["-i", "/keys/deploy"],
            });
        });

        it("targets a remote engine through one explicit provider used by every container", () => {
            const provider = recorded.find((resource) => resource.type === "pulumi:providers:docker")!;
            expect(provider.inputs).toMatchObject({ host: "ssh://deploy@203.0.113.10" });
            for (const container of ofType(CONTAINER)) {
                expect(container.provider.startsWith(`${provider.urn}::`)).toBe(true);
            }
            expect(isSecret(named("thebot-backend-migrate-run").wireInputs.environment)).toBe(true);
            expect(named("thebot-backend-migrate-run").inputs.environment.DOCKER_HOST).toBe(
                "ssh://deploy@203.0.113.10",
            );
        });

        it("checks a remote engine first: the provider waits for the ssh preflight, the CLI steps get the ssh options", () => {
            const preflight = named("thebot-docker-preflight-check");
            expect(preflight.inputs.create).toContain(
                "ssh -o BatchMode=yes -o ConnectTimeout=5 -l deploy -i /keys/deploy -- 203.0.113.10",
            );
            const provider = recorded.find((resource) => resource.type === "pulumi:providers:docker")!;
            expect(waitsFor(provider, preflight)).toBe(true);
            const target = { host: "ssh://deploy@203.0.113.10", sshOptions: ["-i", "/keys/deploy"] };
            // The docker CLI's `ssh` is a wrapper that adds the options; node writes it and runs the step's script.
            expect(sshWrapperScript(target.sshOptions)).toBe(
                '#!/bin/sh\nexec "$WEBPLATFORM_SSH" -i /keys/deploy "$@"\n',
            );
            for (const step of [
                "thebot-backend-migrate-run",
                "thebot-postgres-password-sync",
                "thebot-smoke-check-run",
            ]) {
                expect(named(step).inputs.interpreter).toEqual(dockerCliInterpreter(target));
                expect(named(step).inputs.environment.DOCKER_HOST).toBe(target.host);
            }
        });
    });

    describe("with other arguments", () => {
        beforeEach(resetRecorded);

        it("makes a self-signed certificate when none is given (development)", async () => {
            await deploy({
                ...djangoPlatform,
                environment: "development",
                nginx: { ...djangoPlatform.nginx, certificatePem: undefined, privateKeyPem: undefined },
            });
            const openssl = named("thebot-certificate-openssl");
            expect(openssl.inputs.create).toMatch(
                /^openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 365 -subj \/CN=thebot.example.com /,
            );
            expect(openssl.additionalSecretOutputs).toEqual(["stdout", "stderr"]);
        });

        it("adds scheduled backups when asked: one more container, checked by the smoke step, and a retained volume", async () => {
            const platform = await deploy({ ...djangoPlatform, backup: { intervalSeconds: 3600, keep: 3 } });
            const backup = named("thebot-backup-loop");
            expect(backup.inputs.name).toBe("thebot-backup");
            expect(backup.inputs.networksAdvanced.map((network: any) => network.name)).toEqual(["thebot-private"]);
            expect(waitsFor(backup, named("thebot-postgres-password-sync"))).toBe(true);
            expect(named("thebot-backup-dumps").retainOnDelete).toBe(true);
            expect(named("thebot-smoke-check-run").inputs.create).toContain("check_container thebot-backup");
            expect(platform.summary.containers).toContain("thebot-backup");
            expect(platform.summary.volumes).toContain("thebot-backup-dumps");
        });

        it("has the smoke step judge the app's database, its pending migrations by its own probe, and its logs", async () => {
            await deploy({
                ...djangoPlatform,
                backend: {
                    ...djangoPlatform.backend,
                    pendingMigrationsCheck: ["python", "manage.py", "migrate", "--check"],
                },
            });
            const script: string = named("thebot-smoke-check-run").inputs.create;
            expect(script).toContain("docker exec thebot-postgres pg_isready -h 127.0.0.1 -U thebot -d thebot_db");
            // Web replicas are auto-named (resource name plus a suffix) so that old and new ones coexist in a rollout.
            expect(script).toMatch(/docker exec thebot-backend-web-1-[0-9a-f]{7} python manage\.py migrate --check/);
            const judgedLogs = [...script.matchAll(/docker logs (\S+)\)/g)].map((match) =>
                match[1].replace(/(-\d+)-[0-9a-f]{7}$/, "$1"),
            );
            expect(judgedLogs).toEqual([
                "thebot-backend-web-1",
                "thebot-celery-beat-1",
                "thebot-celery-worker-1",
                "thebot-celery-worker-2",
                "thebot-daphne-1",
            ]);
        });

        it("runs no migration probe in the smoke step when the stack sets none", async () => {
            await deploy();
            expect(named("thebot-smoke-check-run").inputs.create).not.toContain("no pending migrations");
        });

        it("rotates every generated secret through one keeper", async () => {
            await deploy({ ...djangoPlatform, secretsRotation: "2026-11" });
            const passwords = ofType("random:index/randomPassword:RandomPassword");
            expect(passwords.map((password) => password.name).sort()).toEqual([
                "thebot-postgres-password",
                "thebot-redis-password",
                "thebot-secret-key",
            ]);
            for (const password of passwords) {
                expect(password.inputs.keepers).toEqual({ rotation: "2026-11" });
            }
        });

        it("builds the app image from a Dockerfile context when asked, and every app container runs that build", async () => {
            await deploy({
                ...djangoPlatform,
                backend: {
                    ...djangoPlatform.backend,
                    image: { build: { context: "./app", tag: "thebot/backend:3f9c2e1" } },
                },
            });
            expect(named("thebot-backend-image").inputs).toMatchObject({
                name: "thebot/backend:3f9c2e1",
                keepLocally: true,
                build: { context: "./app", dockerfile: "Dockerfile" },
            });
            const roleOf = (container: RecordedResource) =>
                container.inputs.labels.find((label: any) => label.label === "webplatform.role").value;
            const imageIds = new Set(
                ofType(CONTAINER)
                    .filter((container) => ["web", "worker"].includes(roleOf(container)))
                    .map((container) => container.inputs.image),
            );
            expect(imageIds.size).toBe(1);
            expect(named("thebot-backend-migrate-run").inputs.create).toContain([...imageIds][0]);
        });
    });
});

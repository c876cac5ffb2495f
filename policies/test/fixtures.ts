/**
 * Compliant fixtures derived from the components themselves: a production Platform built under the shared mocks
 * (test/mocks.ts), with each recorded resource turned into what the engine hands a policy. Tests change one field
 * of these and expect exactly the violation that change causes.
 */
import { RecordedResource, recorded, resetRecorded, settle, valueOf } from "../../test/mocks";
import { createHash } from "node:crypto";
import { Platform, PlatformArgs } from "../../components/platform";
import { TYPES } from "../lib/guard";
import { StackInput } from "./harness";

export const BACKEND_IMAGE =
    "registry.example.com/thebot/backend:1.0.0@sha256:3b5d7e2f9a1c4b6d8e0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b";
export const FRONTEND_IMAGE =
    "registry.example.com/thebot/frontend:1.0.0@sha256:9c1e3a5b7d9f1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d";

/** The Django/Celery/Channels production stack of Pulumi.prod.yaml, with a real certificate and a data directory. */
export const PRODUCTION_PLATFORM: PlatformArgs = {
    environment: "production",
    domain: "thebot.example.com",
    networkMtu: 1450,
    postgres: { database: "thebot_db", user: "thebot" },
    redis: { maxMemoryMb: 512 },
    backend: {
        image: { reference: BACKEND_IMAGE },
        command: ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"],
        healthPath: "/api/system/health/live/",
        migrationCommand: [
            "sh",
            "-c",
            "python manage.py migrate --noinput && python manage.py collectstatic --noinput",
        ],
        limits: { memoryMb: 1024, cpus: "2" },
        env: {
            DJANGO_SETTINGS_MODULE: "config.settings",
            DEBUG: "False",
            ALLOWED_HOSTS: "thebot.example.com",
            CORS_ALLOWED_ORIGINS: "https://thebot.example.com",
            CSRF_TRUSTED_ORIGINS: "https://thebot.example.com",
            SESSION_COOKIE_SECURE: "True",
            CSRF_COOKIE_SECURE: "True",
            SECURE_SSL_REDIRECT: "True",
            SECURE_HSTS_SECONDS: "31536000",
            SECURE_HSTS_INCLUDE_SUBDOMAINS: "True",
        },
        generatedSecrets: { SECRET_KEY: "secretKey", SESSION_SECRET: "sessionSecret" },
        redisUrlVariables: {
            REDIS_URL: "cache",
            CELERY_BROKER_URL: "broker",
            CELERY_RESULT_BACKEND: "broker",
            CHANNELS_REDIS_URL: "channels",
        },
        dataDirectory: "/var/lib/thebot/data",
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
            command: ["celery", "-A", "config", "worker", "--loglevel=info", "--concurrency=2"],
            healthcheckCommand: ["CMD-SHELL", "celery -A config inspect ping -d celery@$HOSTNAME --timeout 5"],
        },
        "celery-beat": {
            command: ["celery", "-A", "config", "beat", "--schedule", "/tmp/celerybeat-schedule"],
            healthcheckCommand: ["CMD-SHELL", "find /tmp/celerybeat-schedule -mmin -5 | grep -q ."],
        },
    },
    nginx: {
        image: { reference: FRONTEND_IMAGE },
        rootDirectory: "/usr/share/nginx/html",
        routes: [
            { path: "/api/", service: "backend" },
            { path: "/admin/", service: "backend" },
            { path: "/ws/", service: "daphne", websocket: true },
        ],
        clientMaxBodySizeMb: 50,
        certificatePem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        privateKeyPem: "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
    },
};

/** The image ID test/mocks.ts gives a RemoteImage. */
export function mockImageId(name: string): string {
    return `sha256:${createHash("sha256").update(name).digest("hex")}`;
}

/** What the engine would show a policy: inputs plus the outputs the mocks compute. */
function propsOf(resource: RecordedResource): Record<string, unknown> {
    if (resource.type === TYPES.remoteImage) {
        return { ...resource.inputs, imageId: mockImageId(resource.inputs.name) };
    }
    return { ...resource.inputs };
}

/**
 * Property dependencies as the engine records them; the mocks keep only the dependency list, so they are
 * rebuilt from the values: an image ID comes from its RemoteImage, a network name from its Network.
 */
function propertyDependenciesOf(resource: StackInput, all: readonly StackInput[]): Record<string, string[]> {
    const images = all.filter((candidate) => candidate.type === TYPES.remoteImage);
    const networks = all.filter((candidate) => candidate.type === TYPES.network);
    if (resource.type === TYPES.container) {
        const networkNames = ((resource.props.networksAdvanced as { name: string }[] | undefined) ?? []).map(
            (entry) => entry.name,
        );
        return {
            image: images.filter((image) => image.props.imageId === resource.props.image).map((image) => image.urn),
            networksAdvanced: networks
                .filter((network) => networkNames.includes(network.props.name as string))
                .map((network) => network.urn),
        };
    }
    if (resource.type === TYPES.command) {
        const create = String(resource.props.create ?? "");
        return {
            create: images.filter((image) => create.includes(String(image.props.imageId))).map((image) => image.urn),
        };
    }
    return {};
}

export interface PlatformFixture {
    readonly resources: readonly StackInput[];
    /** The resource with this logical name; throws unless there is exactly one. */
    named(name: string): StackInput;
    ofType(type: string): StackInput[];
}

function fixtureOf(resources: StackInput[]): PlatformFixture {
    return {
        resources,
        named(name: string) {
            const found = resources.filter((resource) => resource.name === name);
            if (found.length !== 1) {
                throw new Error(`expected one resource named ${name}, found ${found.length}`);
            }
            return found[0];
        },
        ofType(type: string) {
            return resources.filter((resource) => resource.type === type);
        },
    };
}

/** Builds the platform under the mocks and returns every registered resource as a stack policy sees it. */
async function buildPlatform(args: PlatformArgs, name: string): Promise<StackInput[]> {
    resetRecorded();
    const platform = new Platform(name, args);
    await valueOf(platform.backend.migration.log);
    await settle();
    const base: StackInput[] = recorded.map((resource) => ({
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        props: propsOf(resource),
        dependencies: resource.dependencies,
        protect: resource.protect,
        parent: resource.parent,
    }));
    return base.map((resource) => ({ ...resource, propertyDependencies: propertyDependenciesOf(resource, base) }));
}

/**
 * The production platform, built once per test worker: builds are deterministic under the mocks, and the unit
 * project does not isolate test files, so the files one worker runs share this module. Callers get deep copies.
 */
let production: Promise<StackInput[]> | undefined;

/** The platform built under the mocks, every registered resource as a stack policy sees it (a fresh copy). */
export async function platformFixture(
    args: PlatformArgs = PRODUCTION_PLATFORM,
    name = "thebot",
): Promise<PlatformFixture> {
    if (args !== PRODUCTION_PLATFORM || name !== "thebot") {
        return fixtureOf(await buildPlatform(args, name));
    }
    production ??= buildPlatform(args, name).catch((error: unknown) => {
        production = undefined;
        throw error;
    });
    return fixtureOf(structuredClone(await production));
}

/**
 * The same stack as `pulumi preview` shows it before anything exists: generated secrets, image IDs and everything
 * computed from them (environments holding secrets, the migration script, container images) are unknown.
 */
export function asPreview(fixture: PlatformFixture, unknown: string): PlatformFixture {
    return fixtureOf(
        fixture.resources.map((resource) => {
            const props = JSON.parse(JSON.stringify(resource.props)) as Record<string, unknown>;
            if (resource.type === TYPES.remoteImage) {
                props.imageId = unknown;
                props.repoDigest = unknown;
            }
            if (resource.type === TYPES.container) {
                props.image = unknown;
                const envs = props.envs as string[] | undefined;
                if (
                    envs?.some((entry) =>
                        /PASSWORD|SECRET|_URL|TLS_|REDIS_CONFIG|REDISCLI_AUTH/.test(entry.split("=")[0]),
                    )
                ) {
                    props.envs = unknown;
                }
            }
            if (resource.type === TYPES.command) {
                props.create = unknown;
            }
            return { ...resource, props };
        }),
    );
}

/** A container's name as the platform names it ("thebot-backend-web-1") mapped to its recorded resource name. */
export function containerNamed(fixture: PlatformFixture, containerName: string): StackInput {
    const found = fixture.ofType(TYPES.container).filter((resource) => resource.props.name === containerName);
    if (found.length !== 1) {
        throw new Error(`expected one container named ${containerName}, found ${found.length}`);
    }
    return found[0];
}

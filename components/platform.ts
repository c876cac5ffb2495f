import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { AppVolumeMount } from "./appContainer";
import { Backend } from "./backend";
import { ContainerEnvironment, mergeEnvironments } from "./environment";
import { ResourceLimits } from "./hardening";
import { ImageSource, imageReference } from "./image";
import { NGINX_HTTPS_PORT, Nginx } from "./nginx";
import { ProxyRoute } from "./nginxConfig";
import { Postgres } from "./postgres";
import { Redis, RedisEvictionPolicy } from "./redis";
import { GENERATED_SECRET_LENGTHS, urlSafeSecret } from "./secrets";
import { DockerTarget, dockerCliTargetOf } from "./dockerTarget";
import { PostgresBackup, postgresBackupTarget } from "./postgresBackup";
import { SelfSignedCertificate } from "./selfSignedCertificate";
import { SmokeCheck } from "./smokeCheck";
import { WorkerGroup } from "./workerGroup";

export type DeploymentEnvironment = "production" | "staging" | "development";

/** Kinds of secret the platform generates for the application, each with its own minimum length. */
export type GeneratedSecretKind = keyof typeof GENERATED_SECRET_LENGTHS;

export interface WorkerGroupSettings {
    readonly command: readonly string[];
    readonly healthcheckCommand: readonly string[];
    /** Default: 1. */
    readonly replicas?: number;
    /** Port served, when nginx routes to the group. Default: none. */
    readonly port?: number;
    /** Extra plain environment for this group only. Default: none. */
    readonly env?: Readonly<Record<string, string>>;
    /** Default: 512 MiB, 0.5 CPU. */
    readonly limits?: ResourceLimits;
}

/** A path nginx proxies to the backend or to a worker group that serves a port. */
export interface RouteSettings {
    readonly path: string;
    /** "backend" or the name of a worker group with a port. */
    readonly service: string;
    /** Pass WebSocket upgrades. Default: false. */
    readonly websocket?: boolean;
}

export interface PlatformArgs {
    /** Deployment environment; "production" turns every guard into a hard stop. */
    readonly environment: DeploymentEnvironment;
    /** Public host name, e.g. "app.example.com". */
    readonly domain: string;
    /** Docker engine: unset for the local socket, or e.g. "ssh://deploy@host". Default: local engine. */
    readonly dockerHost?: string;
    /** Extra ssh options for an ssh:// engine, e.g. ["-i", "/path/key"]. Default: none. */
    readonly dockerSshOptions?: readonly string[];
    /**
     * Changing this value generates every secret anew (database and cache passwords, SECRET_KEY and the other
     * generated secrets): rotation in one `pulumi up`. Default: no rotation.
     */
    readonly secretsRotation?: string;
    /** MTU of the platform's networks (1450 on many cloud networks). Default: Docker's (1500). */
    readonly networkMtu?: number;
    readonly postgres?: {
        readonly image?: ImageSource;
        /** Default: "app". */
        readonly database?: string;
        /** Default: "app". */
        readonly user?: string;
        /** Publish on 127.0.0.1 at this port. Default: not published. */
        readonly hostPort?: number;
        /** Default: false. */
        readonly allowDataDeletion?: boolean;
        readonly limits?: ResourceLimits;
    };
    /** Scheduled pg_dump backups of the database to a volume destroy keeps (docs/backup-restore.md). Default: none. */
    readonly backup?: {
        /** Seconds between dumps. Default: 86400 (daily). */
        readonly intervalSeconds?: number;
        /** Dumps kept. Default: 7. */
        readonly keep?: number;
        /** Image with pg_dump. Default: the database's own image. */
        readonly image?: ImageSource;
        /** Default: false. */
        readonly allowDumpDeletion?: boolean;
        /** Default: 256 MiB, 0.5 CPU. */
        readonly limits?: ResourceLimits;
    };
    readonly redis?: {
        readonly image?: ImageSource;
        /** Default: 256. */
        readonly maxMemoryMb?: number;
        /** Default: "noeviction". */
        readonly evictionPolicy?: RedisEvictionPolicy;
        /** Publish on 127.0.0.1 at this port. Default: not published. */
        readonly hostPort?: number;
        /** Default: false. */
        readonly allowDataDeletion?: boolean;
        readonly limits?: ResourceLimits;
    };
    readonly backend: {
        readonly image: ImageSource;
        readonly command?: readonly string[];
        /** Default: 8000. */
        readonly port?: number;
        /** Default: "/health". */
        readonly healthPath?: string;
        /**
         * More paths the post-deploy smoke check requests through nginx, each of which must answer 200, e.g. "/"
         * (the frontend) or an endpoint that answers 200 only when no migration is pending. Default: none.
         */
        readonly smokeCheckPaths?: readonly string[];
        readonly healthcheckCommand?: readonly string[];
        /** Default: 1. */
        readonly replicas?: number;
        readonly migrationCommand: readonly string[];
        /** Default: DEFAULT_APP_USER. */
        readonly user?: string;
        /** Default: true. */
        readonly readOnlyRootFilesystem?: boolean;
        readonly limits?: ResourceLimits;
        /** Plain application settings. */
        readonly env?: Readonly<Record<string, string>>;
        /** Application secrets the user supplies (set with `pulumi config set --secret`). */
        readonly secretEnv?: Readonly<Record<string, pulumi.Input<string>>>;
        /** Secrets generated for the app, by variable name. Default: { SECRET_KEY: "secretKey" }. */
        readonly generatedSecrets?: Readonly<Record<string, GeneratedSecretKind>>;
        /** Variables that receive the PostgreSQL URL. Default: ["DATABASE_URL"]. */
        readonly databaseUrlVariables?: readonly string[];
        /** Variables that receive a Redis URL, by logical database purpose. Default: { REDIS_URL: "cache" }. */
        readonly redisUrlVariables?: Readonly<Record<string, string>>;
        /** Absolute path of a persistent data directory (exported as DATA_DIR). Default: none. */
        readonly dataDirectory?: string;
        /** Where the app writes collected static files; nginx serves them at /static/. Default: none. */
        readonly staticDirectory?: string;
        /** Where the app stores uploads; nginx serves them at /media/. Default: none. */
        readonly mediaDirectory?: string;
    };
    /** Background process groups by name. Default: none. */
    readonly workers?: Readonly<Record<string, WorkerGroupSettings>>;
    readonly nginx?: {
        readonly image?: ImageSource;
        /** Default: "nginx". */
        readonly user?: string;
        /** Default: "0.0.0.0". */
        readonly publishAddress?: string;
        /** Default: 80. */
        readonly httpPort?: number;
        /** Default: 443. */
        readonly httpsPort?: number;
        /** Directory inside the nginx image with a single-page app served at `/`. Default: `/` to the backend. */
        readonly rootDirectory?: string;
        /** Default: /api/ and /admin/ to the backend. */
        readonly routes?: readonly RouteSettings[];
        /** PEM certificate. Default: a self-signed one (development only). */
        readonly certificatePem?: pulumi.Input<string>;
        /** PEM key; a secret. Required with certificatePem. */
        readonly privateKeyPem?: pulumi.Input<string>;
        /** Default: one year. */
        readonly hstsMaxAgeSeconds?: number;
        /** Default: 20. */
        readonly clientMaxBodySizeMb?: number;
        /** Default: 20. */
        readonly rateLimitPerSecond?: number;
    };
}

/** Non-secret facts about a deployed platform, safe to print. */
export interface PlatformSummary {
    readonly environment: DeploymentEnvironment;
    readonly url: string;
    readonly dockerHost: string;
    readonly images: Readonly<Record<string, string>>;
    readonly containers: readonly string[];
    readonly volumes: readonly string[];
    readonly networks: readonly string[];
}

/**
 * A whole web platform on one Docker engine: PostgreSQL and Redis on a private network, the backend behind a
 * migration step, worker groups, and nginx as the only published entry point. Start-up follows health:
 * database and cache healthy, then migrations, then web and workers, then nginx.
 */
export class Platform extends pulumi.ComponentResource {
    public readonly url: string;
    public readonly summary: PlatformSummary;
    public readonly privateNetwork: docker.Network;
    public readonly edgeNetwork: docker.Network;
    public readonly postgres: Postgres;
    public readonly backup: PostgresBackup | undefined;
    public readonly redis: Redis;
    public readonly backend: Backend;
    public readonly workers: Readonly<Record<string, WorkerGroup>>;
    public readonly nginx: Nginx;
    public readonly smokeCheck: SmokeCheck;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webplatform:index:Platform", name, {}, opts);
        // The engine, given once: a DockerTarget (the provider, behind its preflight) that every child inherits. Without
        // a dockerHost, children inherit whatever docker provider the Platform itself was given, or use the default.
        const target = args.dockerHost
            ? new DockerTarget(
                  `${name}-docker`,
                  { host: args.dockerHost, sshOptions: args.dockerSshOptions },
                  { parent: this },
              )
            : undefined;
        const engineHost = target ? target.dockerHost : dockerCliTargetOf(this, name).host;
        const inherit: pulumi.ComponentResourceOptions = { parent: this, providers: target ? [target] : undefined };
        const childOpts: pulumi.CustomResourceOptions = { parent: this, provider: target };
        const mtuOptions = args.networkMtu ? { "com.docker.network.driver.mtu": String(args.networkMtu) } : undefined;

        // Database and cache live only on an internal network: no route out, nothing published.
        this.privateNetwork = new docker.Network(
            `${name}-private`,
            { name: `${name}-private`, driver: "bridge", internal: true, options: mtuOptions },
            childOpts,
        );
        this.edgeNetwork = new docker.Network(
            `${name}-edge`,
            { name: `${name}-edge`, driver: "bridge", options: mtuOptions },
            childOpts,
        );

        this.postgres = new Postgres(
            `${name}-postgres`,
            {
                ...args.postgres,
                passwordRotation: args.secretsRotation,
                network: this.privateNetwork.name,
            },
            inherit,
        );
        this.backup = args.backup
            ? new PostgresBackup(
                  `${name}-backup`,
                  {
                      ...postgresBackupTarget(this.postgres),
                      ...args.backup,
                      image: args.backup.image ?? this.postgres.container.image,
                      network: this.privateNetwork.name,
                  },
                  { ...inherit, dependsOn: [this.postgres] },
              )
            : undefined;

        const backendSettings = args.backend;
        const redisUrlVariables = backendSettings.redisUrlVariables ?? { REDIS_URL: "cache" };
        const purposes = [...new Set(Object.values(redisUrlVariables))].sort();
        this.redis = new Redis(
            `${name}-redis`,
            {
                ...args.redis,
                passwordRotation: args.secretsRotation,
                databases: Object.fromEntries(purposes.map((purpose, index) => [purpose, index])),
                network: this.privateNetwork.name,
            },
            inherit,
        );

        const environment = this.applicationEnvironment(name, args);
        const volumes = this.applicationVolumes(name, args, childOpts);

        this.backend = new Backend(
            `${name}-backend`,
            {
                image: backendSettings.image,
                command: backendSettings.command,
                port: backendSettings.port,
                healthPath: backendSettings.healthPath,
                healthcheckCommand: backendSettings.healthcheckCommand,
                replicas: backendSettings.replicas,
                migrationCommand: backendSettings.migrationCommand,
                user: backendSettings.user,
                readOnlyRootFilesystem: backendSettings.readOnlyRootFilesystem,
                limits: backendSettings.limits,
                environment,
                networks: [this.privateNetwork.name, this.edgeNetwork.name],
                volumes: volumes.mounts,
                migrationDependsOn: [this.postgres, this.redis],
            },
            inherit,
        );

        const workers: Record<string, WorkerGroup> = {};
        for (const workerName of Object.keys(args.workers ?? {}).sort()) {
            const settings = args.workers![workerName];
            workers[workerName] = new WorkerGroup(
                `${name}-${workerName}`,
                {
                    imageId: this.backend.imageId,
                    command: settings.command,
                    healthcheckCommand: settings.healthcheckCommand,
                    replicas: settings.replicas,
                    port: settings.port,
                    environment: mergeEnvironments(environment, { plain: settings.env ?? {}, secret: {} }),
                    networks: [this.privateNetwork.name, this.edgeNetwork.name],
                    volumes: volumes.mounts,
                    user: backendSettings.user,
                    readOnlyRootFilesystem: backendSettings.readOnlyRootFilesystem,
                    limits: settings.limits,
                    migration: this.backend.migration,
                },
                inherit,
            );
        }
        this.workers = workers;

        const nginxSettings = args.nginx ?? {};
        const certificate =
            nginxSettings.certificatePem === undefined
                ? new SelfSignedCertificate(`${name}-certificate`, { hostName: args.domain }, { parent: this })
                : undefined;
        const routes = (
            nginxSettings.routes ?? [
                { path: "/api/", service: "backend" },
                { path: "/admin/", service: "backend" },
            ]
        ).map((route) => this.resolveRoute(route));
        this.nginx = new Nginx(
            `${name}-nginx`,
            {
                image: nginxSettings.image,
                user: nginxSettings.user,
                networks: [this.privateNetwork.name, this.edgeNetwork.name],
                serverNames: [args.domain],
                routes,
                rootDirectory: nginxSettings.rootDirectory,
                certificatePem: nginxSettings.certificatePem ?? certificate!.certificatePem,
                privateKeyPem: nginxSettings.privateKeyPem ?? certificate!.privateKeyPem,
                publishAddress: nginxSettings.publishAddress,
                httpHostPort: nginxSettings.httpPort,
                httpsHostPort: nginxSettings.httpsPort,
                staticVolume: volumes.staticVolume?.name,
                mediaVolume: volumes.mediaVolume?.name,
                hstsMaxAgeSeconds: nginxSettings.hstsMaxAgeSeconds,
                clientMaxBodySizeMb: nginxSettings.clientMaxBodySizeMb,
                rateLimitPerSecond: nginxSettings.rateLimitPerSecond,
            },
            {
                ...inherit,
                dependsOn: [...this.backend.containers, ...Object.values(workers).flatMap((group) => group.containers)],
            },
        );

        const appContainers = [
            this.postgres.container,
            this.redis.container,
            ...this.backend.containers,
            ...Object.values(workers).flatMap((group) => group.containers),
            this.nginx.container,
            ...(this.backup ? [this.backup.container] : []),
        ];
        const routePrefixes = routes.map((route) => route.path);
        const healthPath = backendSettings.healthPath ?? "/health";
        this.smokeCheck = new SmokeCheck(
            `${name}-smoke-check`,
            {
                containers: appContainers.map((container) => container.name),
                proxyContainer: this.nginx.container.name,
                proxyHttpsPort: NGINX_HTTPS_PORT,
                domain: args.domain,
                // The backend's health endpoint is checked through nginx when a route reaches it.
                paths: [
                    ...(routePrefixes.some((prefix) => healthPath.startsWith(prefix)) ? [healthPath] : []),
                    ...(backendSettings.smokeCheckPaths ?? []),
                ],
                websocketPaths: routes.filter((route) => route.websocket).map((route) => route.path),
                triggers: appContainers.map((container) => container.id),
            },
            { ...inherit, dependsOn: appContainers },
        );

        const httpsPort = nginxSettings.httpsPort ?? 443;
        this.url = `https://${args.domain}${httpsPort === 443 ? "" : `:${httpsPort}`}/`;
        this.summary = {
            environment: args.environment,
            url: this.url,
            dockerHost: engineHost ?? "local",
            images: {
                backend: imageReference(backendSettings.image),
                ...(args.postgres?.image ? { postgres: imageReference(args.postgres.image) } : {}),
                ...(args.redis?.image ? { redis: imageReference(args.redis.image) } : {}),
                ...(nginxSettings.image ? { nginx: imageReference(nginxSettings.image) } : {}),
            },
            containers: [
                `${name}-postgres`,
                `${name}-redis`,
                ...this.backend.containers.map((_, index) => `${name}-backend-web-${index + 1}`),
                ...Object.keys(workers)
                    .sort()
                    .flatMap((workerName) =>
                        workers[workerName].containers.map((_, index) => `${name}-${workerName}-${index + 1}`),
                    ),
                `${name}-nginx`,
                ...(this.backup ? [`${name}-backup`] : []),
            ],
            volumes: [
                `${name}-postgres-data`,
                `${name}-redis-data`,
                ...volumes.names,
                ...(this.backup ? [`${name}-backup-dumps`] : []),
            ],
            networks: [`${name}-private`, `${name}-edge`],
        };
        this.registerOutputs({ url: this.url, summary: this.summary });
    }

    /** Plain settings, user secrets, generated secrets and connection URLs, in that order of precedence. */
    private applicationEnvironment(name: string, args: PlatformArgs): ContainerEnvironment {
        const backend = args.backend;
        const generated: Record<string, pulumi.Input<string>> = {};
        const generatedSecrets = backend.generatedSecrets ?? { SECRET_KEY: "secretKey" };
        for (const variable of Object.keys(generatedSecrets).sort()) {
            const kind = generatedSecrets[variable];
            generated[variable] = urlSafeSecret(
                `${name}-${variable.toLowerCase().replace(/_/g, "-")}`,
                { length: GENERATED_SECRET_LENGTHS[kind], rotation: args.secretsRotation },
                { parent: this },
            ).result;
        }
        const connections: Record<string, pulumi.Input<string>> = {};
        for (const variable of backend.databaseUrlVariables ?? ["DATABASE_URL"]) {
            connections[variable] = this.postgres.url;
        }
        const redisUrlVariables = backend.redisUrlVariables ?? { REDIS_URL: "cache" };
        for (const [variable, purpose] of Object.entries(redisUrlVariables)) {
            connections[variable] = this.redis.urls[purpose];
        }
        const markers: Record<string, string> = { ENVIRONMENT: args.environment };
        if (backend.dataDirectory) {
            markers.DATA_DIR = backend.dataDirectory;
        }
        return mergeEnvironments(
            { plain: markers, secret: {} },
            { plain: backend.env ?? {}, secret: {} },
            { plain: {}, secret: backend.secretEnv ?? {} },
            { plain: {}, secret: generated },
            { plain: {}, secret: connections },
        );
    }

    /** Named volumes for the data directory, static files and media, all retained on destroy. */
    private applicationVolumes(name: string, args: PlatformArgs, childOpts: pulumi.CustomResourceOptions) {
        const backend = args.backend;
        const mounts: AppVolumeMount[] = [];
        const names: string[] = [];
        const volume = (suffix: string, containerPath: string) => {
            const created = new docker.Volume(
                `${name}-${suffix}`,
                { name: `${name}-${suffix}` },
                { ...childOpts, retainOnDelete: true },
            );
            mounts.push({ volumeName: created.name, containerPath });
            names.push(`${name}-${suffix}`);
            return created;
        };
        const dataVolume = backend.dataDirectory ? volume("data", backend.dataDirectory) : undefined;
        const staticVolume = backend.staticDirectory ? volume("static", backend.staticDirectory) : undefined;
        const mediaVolume = backend.mediaDirectory ? volume("media", backend.mediaDirectory) : undefined;
        return { mounts, names, dataVolume, staticVolume, mediaVolume };
    }

    private resolveRoute(route: RouteSettings): ProxyRoute {
        if (route.service === "backend") {
            return {
                path: route.path,
                upstream: `${this.backend.serviceName}:${this.backend.port}`,
                websocket: route.websocket,
            };
        }
        const group = this.workers[route.service];
        if (!group || group.port === undefined) {
            throw new Error(
                `nginx route ${route.path} points at "${route.service}", which is neither "backend" nor a worker group with a port.`,
            );
        }
        return { path: route.path, upstream: `${group.serviceName}:${group.port}`, websocket: route.websocket };
    }
}

import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { applicationEnvironment, applicationVolumes } from "./application";
import { Backend } from "./backend";
import { mergeEnvironments } from "./environment";
import { imageReference } from "./image";
import { NGINX_HTTPS_PORT, Nginx } from "./nginx";
import { ProxyRoute } from "./nginxConfig";
import { Postgres } from "./postgres";
import { Redis } from "./redis";
import { DeploymentEnvironment, PlatformArgs, RouteSettings, platformSettingsSchema } from "./schemas/platform";
import { parseSettings } from "./schemas/settings";
import { DockerTarget, dockerCliTargetOf } from "./dockerTarget";
import { PostgresBackup, postgresBackupTarget } from "./postgresBackup";
import { SelfSignedCertificate } from "./selfSignedCertificate";
import { RECOVERED_AFTER_SECONDS, SmokeCheck } from "./smokeCheck";
import { ApplicationChecks } from "./smokeCheckApplication";
import { WorkerGroup } from "./workerGroup";

export type { DeploymentEnvironment, PlatformArgs, PlatformWorkerSettings, RouteSettings } from "./schemas/platform";
export type { GeneratedSecretKind } from "./schemas/generatedSecrets";

/** Non-secret facts about a deployed platform, safe to print. */
export interface PlatformSummary {
    readonly environment: DeploymentEnvironment;
    readonly url: string;
    readonly dockerHost: string;
    readonly images: Readonly<Record<string, string>>;
    /** Engine names; those of auto-named app containers are known once they exist. */
    readonly containers: readonly pulumi.Input<string>[];
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
        const settings = parseSettings(name, platformSettingsSchema, args);
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
        const mtuOptions = settings.networkMtu
            ? { "com.docker.network.driver.mtu": String(settings.networkMtu) }
            : undefined;

        // Database and cache live only on an internal network: no route out, nothing published.
        const networkNames = { private: `${name}-private`, edge: `${name}-edge` };
        this.privateNetwork = new docker.Network(
            networkNames.private,
            { name: networkNames.private, driver: "bridge", internal: true, options: mtuOptions },
            childOpts,
        );
        this.edgeNetwork = new docker.Network(
            networkNames.edge,
            { name: networkNames.edge, driver: "bridge", options: mtuOptions },
            childOpts,
        );

        this.postgres = new Postgres(
            `${name}-postgres`,
            {
                ...settings.postgres,
                passwordRotation: settings.secretsRotation,
                network: this.privateNetwork.name,
            },
            inherit,
        );
        this.backup = settings.backup
            ? new PostgresBackup(
                  `${name}-backup`,
                  {
                      ...postgresBackupTarget(this.postgres),
                      ...settings.backup,
                      image: settings.backup.image ?? this.postgres.container.image,
                      network: this.privateNetwork.name,
                  },
                  { ...inherit, dependsOn: [this.postgres] },
              )
            : undefined;

        const backendSettings = settings.backend;
        const purposes = [...new Set(Object.values(backendSettings.redisUrlVariables))].sort();
        this.redis = new Redis(
            `${name}-redis`,
            {
                ...settings.redis,
                passwordRotation: settings.secretsRotation,
                databases: Object.fromEntries(purposes.map((purpose, index) => [purpose, index])),
                network: this.privateNetwork.name,
            },
            inherit,
        );

        const environment = applicationEnvironment(name, settings, {
            postgres: this.postgres,
            redis: this.redis,
            parent: this,
        });
        const volumes = applicationVolumes(name, settings, childOpts);
        const appNetworks = [this.privateNetwork.name, this.edgeNetwork.name];

        this.backend = new Backend(
            `${name}-backend`,
            {
                ...backendSettings,
                environment,
                networks: appNetworks,
                volumes: volumes.mounts,
                migrationDependsOn: [this.postgres, this.redis],
            },
            inherit,
        );

        const workers: Record<string, WorkerGroup> = {};
        for (const workerName of Object.keys(settings.workers).sort()) {
            const worker = settings.workers[workerName];
            workers[workerName] = new WorkerGroup(
                `${name}-${workerName}`,
                {
                    ...worker,
                    imageId: this.backend.imageId,
                    environment: mergeEnvironments(environment, { plain: worker.env, secret: {} }),
                    networks: appNetworks,
                    volumes: volumes.mounts,
                    // Workers run the backend's code, so they run it as the backend does.
                    user: backendSettings.user,
                    readOnlyRootFilesystem: backendSettings.readOnlyRootFilesystem,
                    migration: this.backend.migration,
                },
                inherit,
            );
        }
        this.workers = workers;
        const workerGroups = Object.values(workers);

        const appHealthGates = [...this.backend.healthGates, ...workerGroups.flatMap((group) => group.healthGates)];
        const nginxSettings = settings.nginx;
        const certificate =
            nginxSettings.certificatePem === undefined
                ? new SelfSignedCertificate(`${name}-certificate`, { hostName: settings.domain }, { parent: this })
                : undefined;
        const routes = nginxSettings.routes.map((route) => this.resolveRoute(route));
        this.nginx = new Nginx(
            `${name}-nginx`,
            {
                ...nginxSettings,
                networks: appNetworks,
                serverNames: [settings.domain],
                routes,
                certificatePem: nginxSettings.certificatePem ?? certificate!.certificatePem,
                privateKeyPem: nginxSettings.privateKeyPem ?? certificate!.privateKeyPem,
                staticVolume: volumes.staticVolume?.name,
                mediaVolume: volumes.mediaVolume?.name,
            },
            // nginx starts once every app container is healthy: after their health gates, not their creation.
            { ...inherit, dependsOn: appHealthGates },
        );

        const appContainers = [
            this.postgres.container,
            this.redis.container,
            ...this.backend.containers,
            ...workerGroups.flatMap((group) => group.containers),
            this.nginx.container,
            ...(this.backup ? [this.backup.container] : []),
        ];
        const routePrefixes = routes.map((route) => route.path);
        const healthPath = this.backend.healthPath;
        this.smokeCheck = new SmokeCheck(
            `${name}-smoke-check`,
            {
                containers: appContainers.map((container) => container.name),
                proxyContainer: this.nginx.container.name,
                proxyHttpsPort: NGINX_HTTPS_PORT,
                domain: settings.domain,
                // The backend's health endpoint is checked through nginx when a route reaches it.
                paths: [
                    ...(routePrefixes.some((prefix) => healthPath.startsWith(prefix)) ? [healthPath] : []),
                    ...backendSettings.smokeCheckPaths,
                ],
                headers: this.nginx.securityHeaders,
                uploadHeaders: this.nginx.uploadHeaders,
                // A route with a probe gets the message round trip, which opens it too; the others get the 101 check.
                websocketPaths: nginxSettings.routes
                    .filter((route) => route.websocket && route.websocketProbe === undefined)
                    .map((route) => route.path),
                websocketProbes: nginxSettings.routes.flatMap((route) =>
                    route.websocketProbe
                        ? [{ ...route.websocketProbe, path: route.websocketProbe.path ?? route.path }]
                        : [],
                ),
                certificatePem: nginxSettings.certificatePem ?? certificate!.certificatePem,
                triggers: appContainers.map((container) => container.id),
                application: this.applicationChecks(backendSettings.pendingMigrationsCheck, workerGroups),
            },
            { ...inherit, dependsOn: [...appContainers, ...appHealthGates] },
        );

        const httpsPort = this.nginx.httpsHostPort;
        this.url = `https://${settings.domain}${httpsPort === 443 ? "" : `:${httpsPort}`}/`;
        // Every name as the child that made it reports it, in start-up order.
        const children = [this.postgres, this.redis, this.backend, ...workerGroups, this.nginx];
        this.summary = {
            environment: settings.environment,
            url: this.url,
            dockerHost: engineHost ?? "local",
            images: {
                backend: imageReference(backendSettings.image),
                postgres: imageReference(settings.postgres.image),
                redis: imageReference(settings.redis.image),
                nginx: imageReference(nginxSettings.image),
            },
            containers: [...children, ...(this.backup ? [this.backup] : [])].flatMap(
                (child): pulumi.Input<string>[] => [...child.containerNames],
            ),
            volumes: [
                ...children.flatMap((child) => child.volumeNames),
                ...volumes.names,
                ...(this.backup?.volumeNames ?? []),
            ],
            networks: [networkNames.private, networkNames.edge],
        };
        this.registerOutputs({ url: this.url, summary: this.summary });
    }

    /** What the smoke check judges of the application: its database, its migrations and its containers' logs. */
    private applicationChecks(
        pendingMigrationsCheck: readonly string[] | undefined,
        workerGroups: readonly WorkerGroup[],
    ): pulumi.Output<ApplicationChecks> {
        const applicationContainers = [
            ...this.backend.containers,
            ...workerGroups.flatMap((group) => group.containers),
        ];
        return pulumi
            .all([
                this.postgres.container.name,
                this.redis.container.name,
                pulumi.all(applicationContainers.map((container) => container.name)),
            ])
            .apply(([postgres, redis, names]) => ({
                database: { container: postgres, name: this.postgres.database, user: this.postgres.user },
                pendingMigrations:
                    pendingMigrationsCheck === undefined
                        ? undefined
                        : { container: names[0], command: pendingMigrationsCheck },
                applicationContainers: names,
                datastores: [postgres, redis],
                datastoreRecoverySeconds: RECOVERED_AFTER_SECONDS,
            }));
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

import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ContainerEnvironment, dockerEnvs } from "./environment";
import { AppVolumeMount, DEFAULT_APP_USER, appContainer } from "./appContainer";
import { HealthTiming, ResourceLimits } from "./hardening";
import { ImageSource, engineImage, imageReference } from "./image";
import { OneShotContainer } from "./oneShotContainer";
import { MIGRATION_ROLE } from "../rules/labels";

/** Probe of an HTTP health endpoint with the Python standard library, present in every Python app image. */
export function pythonHttpProbe(port: number, path: string): string[] {
    const url = `http://127.0.0.1:${port}${path}`;
    return ["CMD", "python3", "-c", `import urllib.request; urllib.request.urlopen(${JSON.stringify(url)}, timeout=4)`];
}

export interface BackendArgs {
    /** The application image, by reference (pin it by digest) or built from a Dockerfile context. */
    readonly image: ImageSource;
    /** Command of the web process, e.g. gunicorn with uvicorn workers. Default: the image's CMD. */
    readonly command?: readonly string[];
    /** Port the web process listens on inside the container. Default: 8000. */
    readonly port?: number;
    /** Health endpoint that answers 200 only when the app and its dependencies are up. Default: "/health". */
    readonly healthPath?: string;
    /** Healthcheck command. Default: an HTTP probe of `healthPath` with python3. */
    readonly healthcheckCommand?: readonly string[];
    /** Number of web containers. Default: 1. */
    readonly replicas?: number;
    /**
     * Migration command run to success in a one-shot container after the database is healthy and before any
     * web container starts, and again whenever the image or this command changes,
     * e.g. ["python", "manage.py", "migrate", "--noinput"] or ["alembic", "upgrade", "head"].
     */
    readonly migrationCommand: readonly string[];
    /** Environment of web, migration and worker containers. */
    readonly environment: ContainerEnvironment;
    /** Networks the web containers join; the first is the private network the database is on. */
    readonly networks: readonly pulumi.Input<string>[];
    /** Volumes for static files, media and data directories. Default: none. */
    readonly volumes?: readonly AppVolumeMount[];
    /** User the processes run as. Default: DEFAULT_APP_USER. */
    readonly user?: string;
    /** Run with a read-only root filesystem (writable /tmp). Default: true. */
    readonly readOnlyRootFilesystem?: boolean;
    /** Memory and CPU ceilings of each web container. Default: 1024 MiB, 1 CPU. */
    readonly limits?: ResourceLimits;
    /** Healthcheck timing. Default: DEFAULT_HEALTH_TIMING. */
    readonly healthTiming?: HealthTiming;
    /** Resources the migration waits for (the healthy database and cache). */
    readonly migrationDependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * The web tier of the application: its image, a migration step that must succeed first, and hardened web
 * containers that count as created only once their health endpoint answers.
 */
export class Backend extends pulumi.ComponentResource {
    /** Image ID every application container (web, migration, workers) runs. */
    public readonly imageId: pulumi.Output<string>;
    public readonly migration: OneShotContainer;
    public readonly containers: docker.Container[];
    /** Name under which the web containers are reachable on the private network. */
    public readonly serviceName: string;
    public readonly port: number;

    constructor(name: string, args: BackendArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webplatform:index:Backend", name, {}, opts);
        const port = args.port ?? 8000;
        const healthPath = args.healthPath ?? "/health";
        const replicas = args.replicas ?? 1;
        const user = args.user ?? DEFAULT_APP_USER;
        const limits = args.limits ?? { memoryMb: 1024, cpus: "1" };
        const readOnly = args.readOnlyRootFilesystem ?? true;
        const childOpts: pulumi.CustomResourceOptions = { parent: this };
        if (args.migrationCommand.length === 0) {
            throw new Error(`${name}: migrationCommand is empty; give the command that applies the schema.`);
        }
        if (!Number.isInteger(replicas) || replicas < 1) {
            throw new Error(`${name}: replicas must be a whole number of at least 1, got ${replicas}.`);
        }

        const image = engineImage(`${name}-image`, args.image, childOpts);
        this.imageId = image.imageId;
        this.serviceName = name;
        this.port = port;

        this.migration = new OneShotContainer(
            `${name}-migrate`,
            {
                image: image.imageId,
                command: args.migrationCommand,
                network: args.networks[0],
                environment: args.environment,
                user,
                limits,
                volumes: args.volumes,
                triggers: [image.imageId, args.migrationCommand.join(" ")],
                purpose: MIGRATION_ROLE,
            },
            { parent: this, dependsOn: args.migrationDependsOn },
        );

        const envs = dockerEnvs(args.environment);
        this.containers = [];
        for (let index = 1; index <= replicas; index++) {
            this.containers.push(
                appContainer(
                    `${name}-web-${index}`,
                    {
                        component: name,
                        role: "web",
                        image: image.imageId,
                        command: args.command,
                        user,
                        envs,
                        readOnly,
                        tmpfsSize: "128m",
                        volumes: args.volumes ?? [],
                        networks: args.networks,
                        healthcheckCommand: args.healthcheckCommand ?? pythonHttpProbe(port, healthPath),
                        healthTiming: args.healthTiming,
                        limits,
                    },
                    { ...childOpts, dependsOn: [this.migration] },
                ),
            );
        }

        this.registerOutputs({
            imageId: this.imageId,
            image: imageReference(args.image),
            serviceName: this.serviceName,
            migrationLog: this.migration.log,
        });
    }
}

import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { AppVolumeMount, DEFAULT_APP_USER, appContainer } from "./appContainer";
import { ContainerEnvironment, dockerEnvs } from "./environment";
import { HealthTiming, ResourceLimits } from "./hardening";

export interface WorkerGroupArgs {
    /** Image ID to run, normally the backend's, so workers and web run the same migrated code. */
    readonly imageId: pulumi.Input<string>;
    /** Command of the worker process, e.g. ["celery", "-A", "config", "worker"]. */
    readonly command: readonly string[];
    /** Healthcheck command that fails when the worker cannot do its job, e.g. `celery inspect ping`. */
    readonly healthcheckCommand: readonly string[];
    /** Number of identical containers. Default: 1. */
    readonly replicas?: number;
    /** Port the process serves, when nginx routes to it (e.g. a Daphne WebSocket server). Default: none. */
    readonly port?: number;
    /** Environment of the workers. */
    readonly environment: ContainerEnvironment;
    /** Networks the workers join. */
    readonly networks: readonly pulumi.Input<string>[];
    /** Volumes, e.g. a data directory. Default: none. */
    readonly volumes?: readonly AppVolumeMount[];
    /** User the processes run as. Default: DEFAULT_APP_USER. */
    readonly user?: string;
    /** Run with a read-only root filesystem (writable /tmp). Default: true. */
    readonly readOnlyRootFilesystem?: boolean;
    /** Memory and CPU ceilings of each container. Default: 512 MiB, 0.5 CPU. */
    readonly limits?: ResourceLimits;
    /** Healthcheck timing. Default: DEFAULT_HEALTH_TIMING. */
    readonly healthTiming?: HealthTiming;
    /** The migration step the workers wait for. */
    readonly migration: pulumi.Input<pulumi.Resource>;
}

/** A named group of background processes (Celery worker, Celery beat, a bot) that start after migrations. */
export class WorkerGroup extends pulumi.ComponentResource {
    public readonly containers: docker.Container[];
    /** Network alias of the group, for nginx routes when `port` is set. */
    public readonly serviceName: string;
    public readonly port: number | undefined;

    constructor(name: string, args: WorkerGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webplatform:index:WorkerGroup", name, {}, opts);
        const replicas = args.replicas ?? 1;
        if (!Number.isInteger(replicas) || replicas < 0) {
            throw new Error(`${name}: replicas must be a whole number of at least 0, got ${replicas}.`);
        }
        if (args.command.length === 0 || args.healthcheckCommand.length === 0) {
            throw new Error(`${name}: a worker group needs both a command and a healthcheck command.`);
        }
        const limits = args.limits ?? { memoryMb: 512, cpus: "0.5" };
        const envs = dockerEnvs(args.environment);
        this.serviceName = name;
        this.port = args.port;

        this.containers = [];
        for (let index = 1; index <= replicas; index++) {
            this.containers.push(
                appContainer(
                    `${name}-${index}`,
                    {
                        component: name,
                        role: "worker",
                        image: args.imageId,
                        command: args.command,
                        user: args.user ?? DEFAULT_APP_USER,
                        envs,
                        readOnly: args.readOnlyRootFilesystem ?? true,
                        tmpfsSize: "64m",
                        volumes: args.volumes ?? [],
                        networks: args.networks,
                        healthcheckCommand: args.healthcheckCommand,
                        healthTiming: args.healthTiming,
                        limits,
                    },
                    {
                        parent: this,
                        dependsOn: afterMigration(args.migration, opts?.dependsOn),
                    },
                ),
            );
        }
        this.registerOutputs({ serviceName: this.serviceName, replicas });
    }
}

/**
 * The migration plus the group's own dependsOn, as a plain array whenever it can be: an Output whose value holds
 * resources makes the SDK search the whole resource graph for unknowns once per container, which made previews
 * grow quadratically with the number of workers.
 */
function afterMigration(
    migration: pulumi.Input<pulumi.Resource>,
    dependsOn: pulumi.ComponentResourceOptions["dependsOn"],
): pulumi.Input<pulumi.Input<pulumi.Resource>[]> {
    if (dependsOn === undefined) {
        return [migration];
    }
    if (Array.isArray(dependsOn)) {
        return [migration, ...dependsOn];
    }
    if (pulumi.Resource.isInstance(dependsOn)) {
        return [migration, dependsOn];
    }
    const later: pulumi.Input<pulumi.Input<pulumi.Resource>[] | pulumi.Resource> = dependsOn;
    return pulumi.output(later).apply((extra) => [migration, ...(Array.isArray(extra) ? extra : [extra])]);
}

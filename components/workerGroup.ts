import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { AppVolumeMount, GatedContainer, appContainer } from "./appContainer";
import { ContainerEnvironment, dockerEnvs } from "./environment";
import { parseSettings } from "./schemas/settings";
import { WorkerGroupSettings, workerGroupSettingsSchema } from "./schemas/workerGroup";

/** A WorkerGroupSettings (components/schemas/workerGroup.ts) and what the platform wires it to. */
export interface WorkerGroupArgs extends WorkerGroupSettings {
    /** Image ID to run, normally the backend's, so workers and web run the same migrated code. */
    readonly imageId: pulumi.Input<string>;
    /** Environment of the workers. */
    readonly environment: ContainerEnvironment;
    /** Networks the workers join. */
    readonly networks: readonly pulumi.Input<string>[];
    /** Volumes, e.g. a data directory. Default: none. */
    readonly volumes?: readonly AppVolumeMount[];
    /** The migration step the workers wait for. */
    readonly migration: pulumi.Input<pulumi.Resource>;
}

/** A named group of background processes (Celery worker, Celery beat, a bot) that start after migrations. */
export class WorkerGroup extends pulumi.ComponentResource {
    public readonly containers: docker.Container[];
    /** One per container: done once it is healthy. What needs the group's containers serving depends on these. */
    public readonly healthGates: command.local.Command[];
    /** Network alias of the group, for nginx routes when `port` is set. */
    public readonly serviceName: string;
    public readonly port: number | undefined;
    /** Names of its containers on the engine, for summaries (auto-named when the group serves a port). */
    public readonly containerNames: readonly pulumi.Output<string>[];
    public readonly volumeNames: readonly string[] = [];

    constructor(name: string, args: WorkerGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webplatform:index:WorkerGroup", name, {}, opts);
        const settings = parseSettings(name, workerGroupSettingsSchema, args);
        const { replicas } = settings;
        const envs = dockerEnvs(args.environment);
        this.serviceName = name;
        this.port = settings.port;

        const gated: GatedContainer[] = [];
        for (let index = 1; index <= replicas; index++) {
            gated.push(
                appContainer(
                    `${name}-${index}`,
                    {
                        component: name,
                        role: "worker",
                        image: args.imageId,
                        command: settings.command,
                        user: settings.user,
                        envs,
                        readOnly: settings.readOnlyRootFilesystem,
                        tmpfsSize: "64m",
                        volumes: args.volumes ?? [],
                        networks: args.networks,
                        healthcheckCommand: settings.healthcheckCommand,
                        healthTiming: settings.healthcheckTiming,
                        limits: settings.limits,
                        // A group that serves a port is replaced as the web tier is; a background process of which
                        // two must not run at once (a scheduler) stops first, and queued jobs wait for the new one.
                        replacement: settings.port === undefined ? "stop-old-first" : "start-new-first",
                    },
                    {
                        parent: this,
                        dependsOn: afterMigration(args.migration, opts?.dependsOn),
                    },
                ),
            );
        }
        this.containers = gated.map((entry) => entry.container);
        this.healthGates = gated.map((entry) => entry.healthGate);
        this.containerNames = this.containers.map((container) => container.name);
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

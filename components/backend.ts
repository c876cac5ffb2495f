import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ContainerEnvironment, dockerEnvs } from "./environment";
import { AppVolumeMount, GatedContainer, appContainer } from "./appContainer";
import { HealthTiming } from "./hardening";
import { engineImage, imageReference } from "./image";
import { BackendSettings, backendSettingsSchema } from "./schemas/backend";
import { parseSettings } from "./schemas/settings";
import { OneShotContainer } from "./oneShotContainer";
import { MIGRATION_ROLE } from "../rules/labels";

/** Probe of an HTTP health endpoint with the Python standard library, present in every Python app image. */
export function pythonHttpProbe(port: number, path: string): string[] {
    const url = `http://127.0.0.1:${port}${path}`;
    return ["CMD", "python3", "-c", `import urllib.request; urllib.request.urlopen(${JSON.stringify(url)}, timeout=4)`];
}

/** A BackendSettings (components/schemas/backend.ts) and what the platform wires it to. */
export interface BackendArgs extends BackendSettings {
    /** Environment of web, migration and worker containers. */
    readonly environment: ContainerEnvironment;
    /** Networks the web containers join; the first is the private network the database is on. */
    readonly networks: readonly pulumi.Input<string>[];
    /** Volumes for static files, media and data directories. Default: none. */
    readonly volumes?: readonly AppVolumeMount[];
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
    /** One per container: done once it is healthy. What needs the web containers serving depends on these. */
    public readonly healthGates: command.local.Command[];
    /** Name under which the web containers are reachable on the private network. */
    public readonly serviceName: string;
    public readonly port: number;
    /** The health endpoint the web containers are probed on. */
    public readonly healthPath: string;
    /** Names of its web containers on the engine, for summaries: auto-named, so known once they exist. */
    public readonly containerNames: readonly pulumi.Output<string>[];
    public readonly volumeNames: readonly string[] = [];

    constructor(name: string, args: BackendArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webplatform:index:Backend", name, {}, opts);
        const settings = parseSettings(name, backendSettingsSchema, args);
        const { port, healthPath, replicas, user, limits, migrationCommand } = settings;
        const childOpts = { parent: this } satisfies pulumi.CustomResourceOptions;

        const image = engineImage(`${name}-image`, settings.image, childOpts);
        this.imageId = image.imageId;
        this.serviceName = name;
        this.port = port;
        this.healthPath = healthPath;

        this.migration = new OneShotContainer(
            `${name}-migrate`,
            {
                image: image.imageId,
                command: migrationCommand,
                network: args.networks[0],
                environment: args.environment,
                user,
                limits,
                volumes: args.volumes,
                triggers: [image.imageId, migrationCommand.join(" ")],
                purpose: MIGRATION_ROLE,
            },
            { parent: this, dependsOn: args.migrationDependsOn },
        );

        const envs = dockerEnvs(args.environment);
        const gated: GatedContainer[] = [];
        for (let index = 1; index <= replicas; index++) {
            gated.push(
                appContainer(
                    `${name}-web-${index}`,
                    {
                        component: name,
                        role: "web",
                        image: image.imageId,
                        command: settings.command,
                        user,
                        envs,
                        readOnly: settings.readOnlyRootFilesystem,
                        tmpfsSize: "128m",
                        volumes: args.volumes ?? [],
                        networks: args.networks,
                        healthcheckCommand: settings.healthcheckCommand ?? pythonHttpProbe(port, healthPath),
                        healthTiming: args.healthTiming,
                        limits,
                        // A new version starts beside the old one, so the web tier serves throughout a rollout.
                        replacement: "start-new-first",
                    },
                    { ...childOpts, dependsOn: [this.migration] },
                ),
            );
        }
        this.containers = gated.map((entry) => entry.container);
        this.healthGates = gated.map((entry) => entry.healthGate);
        this.containerNames = this.containers.map((container) => container.name);

        this.registerOutputs({
            imageId: this.imageId,
            image: imageReference(settings.image),
            serviceName: this.serviceName,
            migrationLog: this.migration.log,
        });
    }
}

import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import {
    DEFAULT_HEALTH_TIMING,
    HealthTiming,
    ResourceLimits,
    containerLabels,
    hardenedContainerArgs,
    healthcheck,
} from "./hardening";

/** A volume mounted into application containers, e.g. collected static files or uploaded media. */
export interface AppVolumeMount {
    readonly volumeName: pulumi.Input<string>;
    readonly containerPath: string;
    readonly readOnly?: boolean;
}

export { DEFAULT_APP_USER } from "./schemas/appContainer";

/** What a web or worker container of the application is made of. */
export interface AppContainerSettings {
    /** Component name: the container's network alias and label. */
    readonly component: string;
    readonly role: "web" | "worker";
    readonly image: pulumi.Input<string>;
    readonly command?: readonly string[];
    readonly user: string;
    readonly envs: pulumi.Input<pulumi.Input<string>[]>;
    readonly readOnly: boolean;
    readonly tmpfsSize: string;
    readonly volumes: readonly AppVolumeMount[];
    readonly networks: readonly pulumi.Input<string>[];
    readonly healthcheckCommand: readonly string[];
    readonly healthTiming?: HealthTiming;
    readonly limits: ResourceLimits;
}

/**
 * One hardened application container that counts as created only once it is healthy. Backend and WorkerGroup
 * share it, so web and worker containers differ only in what their settings say.
 */
export function appContainer(
    name: string,
    settings: AppContainerSettings,
    opts: pulumi.CustomResourceOptions,
): docker.Container {
    return new docker.Container(
        name,
        {
            name,
            image: settings.image,
            command: settings.command ? [...settings.command] : undefined,
            user: settings.user,
            envs: settings.envs,
            labels: containerLabels(settings.component, settings.role),
            readOnly: settings.readOnly,
            tmpfs: { "/tmp": `rw,size=${settings.tmpfsSize}` },
            volumes: settings.volumes.map((mount) => ({
                volumeName: mount.volumeName,
                containerPath: mount.containerPath,
                readOnly: mount.readOnly ?? false,
            })),
            networksAdvanced: settings.networks.map((network) => ({ name: network, aliases: [settings.component] })),
            healthcheck: healthcheck(settings.healthcheckCommand, settings.healthTiming ?? DEFAULT_HEALTH_TIMING),
            wait: true,
            waitTimeout: 180,
            ...hardenedContainerArgs({ limits: settings.limits }),
        },
        opts,
    );
}

import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import {
    DEFAULT_HEALTH_TIMING,
    HealthTiming,
    ResourceLimits,
    containerLabels,
    hardenedContainerArgs,
    healthBudgetSeconds,
    healthcheck,
} from "./hardening";
import { healthGate } from "./healthGate";

/** A volume mounted into application containers, e.g. collected static files or uploaded media. */
export interface AppVolumeMount {
    readonly volumeName: pulumi.Input<string>;
    readonly containerPath: string;
    readonly readOnly?: boolean;
}

export { DEFAULT_APP_USER } from "./schemas/appContainer";

/**
 * How a changed container gives way to its replacement.
 * - "start-new-first": the replacement is created and healthy before the old container is stopped, which needs
 *   two containers of one service side by side, so the engine auto-names them (the resource name plus a random
 *   suffix) and the service is reached by its network alias. For anything that serves traffic.
 * - "stop-old-first": the old container stops (gracefully) before the new one starts, under its fixed name. For
 *   processes of which two must never run at once, such as a scheduler; queued work waits for the new one.
 */
export type Replacement = "start-new-first" | "stop-old-first";

/**
 * Seconds an old container gets between SIGTERM and SIGKILL when it is replaced, removed or stopped: longer than
 * an app server's own shutdown timeout (the sample app's is 10 s), so in-flight requests and jobs finish.
 */
export const STOP_GRACE_SECONDS = 20;

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
    readonly replacement: Replacement;
}

/** An application container and the step that counts as done once it is healthy, which its dependents wait for. */
export interface GatedContainer {
    readonly container: docker.Container;
    /** Ends when the container is healthy, fails at once with its facts when it dies or turns unhealthy first. */
    readonly healthGate: command.local.Command;
}

/**
 * One hardened application container and its health gate (components/healthGate.ts). Backend and WorkerGroup
 * share it, so web and worker containers differ only in what their settings say. The gate, not the provider's
 * `wait`, waits for healthy: the provider polls once a second and fails only after its whole timeout with "failed to
 * be in healthy state"; the gate reacts to the engine's events and names the exit code, restarts and log lines.
 */
export function appContainer(
    name: string,
    settings: AppContainerSettings,
    opts: pulumi.CustomResourceOptions & { readonly parent: pulumi.Resource },
): GatedContainer {
    const startNewFirst = settings.replacement === "start-new-first";
    const healthTiming = settings.healthTiming ?? DEFAULT_HEALTH_TIMING;
    const container = new docker.Container(
        name,
        {
            name: startNewFirst ? undefined : name,
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
            healthcheck: healthcheck(settings.healthcheckCommand, healthTiming),
            // The health gate waits instead (see above).
            wait: false,
            stopSignal: "SIGTERM",
            stopTimeout: STOP_GRACE_SECONDS,
            destroyGraceSeconds: STOP_GRACE_SECONDS,
            ...hardenedContainerArgs({ limits: settings.limits }),
        },
        // The provider replaces containers delete-first (a fixed name cannot exist twice); an auto-named one can.
        startNewFirst ? { ...opts, deleteBeforeReplace: false } : opts,
    );
    const gate = healthGate(
        `${name}-healthy`,
        // A container that is not healthy by then never will be, so the gate fails then, not after a fixed wait.
        { container, containerName: name, budgetSeconds: healthBudgetSeconds(healthTiming) },
        { parent: opts.parent },
    );
    return { container, healthGate: gate };
}

import * as docker from "@pulumi/docker";
import {
    ContainerRole,
    HealthTiming,
    LOG_ROTATION,
    MAX_RESTARTS,
    ResourceLimits,
    containerLabels,
    dockerDuration,
} from "../hardening";

/**
 * The single-host hardening (components/hardening.ts) as a swarm service spells it, with the same constants:
 * every capability dropped, Docker's init, a read-only root filesystem, bounded restarts, rotated logs, memory
 * and CPU ceilings and an exec-form healthcheck. What a service cannot say through this provider (and Docker
 * API 1.41): no-new-privileges (ContainerSpec has no SecurityOpt), a swap limit and shm size.
 */

/** Bytes in a MiB, for limits the service API takes in bytes. */
const MIB = 1024 * 1024;

/**
 * A task's container spec with `init`, which the bridged provider maps (toolchain/pulumi-resource-docker
 * schema.json: ServiceTaskSpecContainerSpec.init) but the @pulumi/docker 4.11.2 SDK type does not list; the SDK
 * passes the property through to the provider as given.
 */
export type ContainerSpecWithInit = docker.types.input.ServiceTaskSpecContainerSpec & {
    readonly init?: boolean;
};

/** The container part of a hardened task: user, read-only root filesystem, capabilities, init. */
export function hardenedContainerSpec(options: {
    readonly user: string;
    readonly addCapabilities?: readonly string[];
}): Pick<ContainerSpecWithInit, "user" | "readOnly" | "capDrops" | "capAdds" | "init"> {
    return {
        user: options.user,
        readOnly: true,
        capDrops: ["ALL"],
        capAdds: options.addCapabilities ? [...options.addCapabilities] : [],
        init: true,
    };
}

/** The task part: ceilings, bounded restarts and rotated logs. */
export function hardenedTaskSpec(
    limits: ResourceLimits,
): Pick<docker.types.input.ServiceTaskSpec, "resources" | "restartPolicy" | "logDriver"> {
    return {
        resources: {
            limits: {
                memoryBytes: limits.memoryMb * MIB,
                nanoCpus: Math.round(Number(limits.cpus) * 1e9),
            },
        },
        restartPolicy: { condition: "on-failure", maxAttempts: MAX_RESTARTS, delay: "5s" },
        logDriver: { name: "json-file", options: { ...LOG_ROTATION } },
    };
}

/** An exec-form healthcheck with the shared timing; a bare command gets "CMD" in front. */
export function serviceHealthcheck(
    test: readonly string[],
    timing: HealthTiming,
): docker.types.input.ServiceTaskSpecContainerSpecHealthcheck {
    return {
        tests: test[0] === "CMD" || test[0] === "CMD-SHELL" ? [...test] : ["CMD", ...test],
        interval: dockerDuration(timing.interval),
        timeout: dockerDuration(timing.timeout),
        retries: timing.retries,
        startPeriod: dockerDuration(timing.startPeriod),
    };
}

/** The component and role labels of the host target, on the service and on its containers. */
export function serviceLabels(component: string, role: ContainerRole): docker.types.input.ServiceLabel[] {
    return containerLabels(component, role);
}

/** A placement constraint on a node label given as key=value. */
export function nodeLabelConstraint(label: string): string {
    const at = label.indexOf("=");
    return `node.labels.${label.slice(0, at)}==${label.slice(at + 1)}`;
}

/**
 * Update and rollback of a single-replica datastore: stop the old task first (two servers must never open the
 * same data directory), and go back to the previous spec when the new one does not become healthy.
 */
export function datastoreUpdateConfig(monitor: string): {
    updateConfig: docker.types.input.ServiceUpdateConfig;
    rollbackConfig: docker.types.input.ServiceRollbackConfig;
} {
    return {
        updateConfig: { order: "stop-first", failureAction: "rollback", parallelism: 1, monitor },
        rollbackConfig: { order: "stop-first", failureAction: "pause", parallelism: 1, monitor },
    };
}

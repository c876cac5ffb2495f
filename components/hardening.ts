import * as docker from "@pulumi/docker";

/** CPU and memory ceilings for one container. */
export interface ResourceLimits {
    /** Hard memory limit in MiB. */
    readonly memoryMb: number;
    /** CPU quota as a decimal number of cores, e.g. "0.5". */
    readonly cpus: string;
}

/** How often Docker probes a container and how long it waits before calling it unhealthy. */
export interface HealthTiming {
    readonly interval: string;
    readonly timeout: string;
    readonly retries: number;
    readonly startPeriod: string;
    /** Probe interval during the start period; short so dependents start as soon as the service is ready. */
    readonly startInterval: string;
}

export const DEFAULT_HEALTH_TIMING: HealthTiming = {
    interval: "10s",
    timeout: "5s",
    retries: 5,
    startPeriod: "60s",
    startInterval: "1s",
};

/** Restarts stop after this many failures so a crash loop surfaces instead of spinning forever. */
export const MAX_RESTARTS = 5;

/** json-file logs rotate at this size and count, so a chatty container cannot fill the host's disk. */
export const LOG_ROTATION = { "max-size": "10m", "max-file": "5" } as const;

export interface HardeningOptions {
    readonly limits: ResourceLimits;
    /** Capabilities the process needs back after every capability is dropped. Default: none. */
    readonly addCapabilities?: readonly string[];
}

/**
 * The container arguments every long-running service gets: no new privileges, every capability dropped,
 * an init process, bounded restarts, rotated logs and resource ceilings. These are the checks of
 * docker-bench-security section 5 that do not depend on the application.
 */
export function hardenedContainerArgs(
    options: HardeningOptions,
): Pick<
    docker.ContainerArgs,
    | "securityOpts"
    | "capabilities"
    | "init"
    | "restart"
    | "maxRetryCount"
    | "logDriver"
    | "logOpts"
    | "memory"
    | "memorySwap"
    | "cpus"
    | "privileged"
> {
    return {
        securityOpts: ["no-new-privileges:true"],
        capabilities: {
            drops: ["ALL"],
            adds: options.addCapabilities ? [...options.addCapabilities] : [],
        },
        init: true,
        privileged: false,
        restart: "on-failure",
        maxRetryCount: MAX_RESTARTS,
        logDriver: "json-file",
        logOpts: { ...LOG_ROTATION },
        memory: options.limits.memoryMb,
        // Equal to memory: no swap on top of the limit.
        memorySwap: options.limits.memoryMb,
        cpus: options.limits.cpus,
    };
}

/**
 * A Docker healthcheck with the shared timing. `test` is Docker's form (["CMD", ...] or ["CMD-SHELL", "..."]);
 * a bare command gets "CMD" in front.
 */
export function healthcheck(
    test: readonly string[],
    timing: HealthTiming = DEFAULT_HEALTH_TIMING,
): docker.types.input.ContainerHealthcheck {
    const tests = test[0] === "CMD" || test[0] === "CMD-SHELL" ? [...test] : ["CMD", ...test];
    return {
        tests,
        interval: timing.interval,
        timeout: timing.timeout,
        retries: timing.retries,
        startPeriod: timing.startPeriod,
        startInterval: timing.startInterval,
    };
}

/** What a container is for; policies use it to tell a database from an application without guessing. */
export type ContainerRole = "database" | "cache" | "web" | "worker" | "proxy";

/** Label keys this library puts on every container it creates. */
export const LABELS = {
    role: "webplatform.role",
    component: "webplatform.component",
    /** Present when the root filesystem cannot be read-only; its value says why. */
    writableRootfsReason: "webplatform.writable-rootfs-reason",
} as const;

/** Labels naming the component and role of a container, plus any extra ones, sorted by key. */
export function containerLabels(
    component: string,
    role: ContainerRole,
    extra: Readonly<Record<string, string>> = {},
): docker.types.input.ContainerLabel[] {
    const all: Record<string, string> = { [LABELS.component]: component, [LABELS.role]: role, ...extra };
    return Object.keys(all)
        .sort()
        .map((label) => ({ label, value: all[label] }));
}

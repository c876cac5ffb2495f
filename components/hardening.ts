import * as docker from "@pulumi/docker";
import { LABELS, LabelledRole } from "../rules/labels";
import { DEFAULT_HEALTH_TIMING, durationSeconds } from "./schemas/healthTiming";

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
    /**
     * Probe interval during the start period, so dependents start as soon as the service is ready. Needs Docker
     * API 1.44 (Engine 25); older engines refuse the container, so it is unset by default.
     */
    readonly startInterval?: string;
}

export { DEFAULT_HEALTH_TIMING, durationSeconds } from "./schemas/healthTiming";

/**
 * A duration in the form Docker reports back ("1m0s", not "60s"), so the provider sees no difference between
 * what was asked and what runs, and a second `pulumi up` stays quiet.
 */
export function dockerDuration(text: string): string {
    const total = durationSeconds(text);
    return total >= 60 ? `${Math.floor(total / 60)}m${total % 60}s` : `${total}s`;
}

/**
 * Seconds after which Docker has necessarily called a container unhealthy: its start period, then `retries`
 * failed probes, each up to `interval` apart and `timeout` long. Waiting for healthy longer than this only delays
 * the failure of a container that never becomes healthy (a crash loop stays "starting").
 */
export function healthBudgetSeconds(timing: HealthTiming): number {
    const { startPeriod, retries, interval, timeout } = timing;
    return durationSeconds(startPeriod) + retries * (durationSeconds(interval) + durationSeconds(timeout));
}

/** A CPU count in the form Docker reports back ("1.0", "0.5"), for the same reason. */
export function dockerCpus(cpus: string): string {
    const value = Number(cpus);
    if (!Number.isFinite(value) || value <= 0) {
        throw new Error(`cpus "${cpus}" is not a positive number`);
    }
    return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

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
        cpus: dockerCpus(options.limits.cpus),
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
        interval: dockerDuration(timing.interval),
        timeout: dockerDuration(timing.timeout),
        retries: timing.retries,
        startPeriod: dockerDuration(timing.startPeriod),
        startInterval: timing.startInterval === undefined ? undefined : dockerDuration(timing.startInterval),
    };
}

/** What a container is for; policies use it to tell a database from an application without guessing. */
export type ContainerRole = LabelledRole;

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

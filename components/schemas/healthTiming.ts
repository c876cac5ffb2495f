import { z } from "zod";
import { wholeNumber } from "./fields";

/**
 * How often Docker probes a container and how long it waits before calling it unhealthy. The one place the
 * default timing is given: every component's healthcheck uses it unless its settings say otherwise.
 */
export const DEFAULT_HEALTH_TIMING = {
    /** A short interval: a dependent's wait for healthy ends within seconds of readiness, on every engine. */
    interval: "3s",
    timeout: "3s",
    retries: 10,
    startPeriod: "1m0s",
} as const;

/** A duration in whole seconds, written as Docker's healthcheck options take it: "90s", "1m30s" or "2m". */
export const HEALTH_DURATION = /^(?:(\d+)m)?(?:(\d+)s)?$/;

/** Seconds of a duration of the form 90s or 1m30s; throws on any other text. */
export function durationSeconds(text: string): number {
    const match = HEALTH_DURATION.exec(text);
    if (!match || text === "") {
        throw new Error(`duration "${text}" is not of the form 90s or 1m30s`);
    }
    return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

const duration = z.string().refine((text) => HEALTH_DURATION.test(text) && durationSeconds(text) > 0, {
    error: 'must be a duration of at least 1 s such as "10s" or "1m30s"',
});

/**
 * Healthcheck timing of a group of containers, each part with its default; a stack may set one part and keep the
 * others, e.g. a longer startPeriod for a worker that loads a model before it answers.
 */
export const healthTimingSchema = z
    .strictObject({
        /** Time between probes. Default: DEFAULT_HEALTH_TIMING.interval. */
        interval: duration.default(DEFAULT_HEALTH_TIMING.interval),
        /** Time one probe may take before it counts as failed. Default: DEFAULT_HEALTH_TIMING.timeout. */
        timeout: duration.default(DEFAULT_HEALTH_TIMING.timeout),
        /** Failed probes in a row that make the container unhealthy. Default: DEFAULT_HEALTH_TIMING.retries. */
        retries: wholeNumber(1, 100).default(DEFAULT_HEALTH_TIMING.retries),
        /** Time after start during which failed probes do not count. Default: DEFAULT_HEALTH_TIMING.startPeriod. */
        startPeriod: duration.default(DEFAULT_HEALTH_TIMING.startPeriod),
    })
    .prefault({});

import { z } from "zod";
import { appContainerSettingsShape } from "./appContainer";
import { command, port, wholeNumber } from "./fields";
import { healthTimingSchema } from "./healthTiming";
import { resourceLimits } from "./limits";

/** What a stack decides about one group of background processes; each default is given here and nowhere else. */
export const workerGroupSettingsSchema = z.strictObject({
    /** Command of the worker process, e.g. ["celery", "-A", "config", "worker"]. */
    command,
    /** Healthcheck command that fails when the worker cannot do its job, e.g. `celery inspect ping`. */
    healthcheckCommand: command,
    /** When and how often `healthcheckCommand` runs. Default: DEFAULT_HEALTH_TIMING (schemas/healthTiming.ts). */
    healthcheckTiming: healthTimingSchema,
    /** Number of identical containers. Default: 1. */
    replicas: wholeNumber(0, 1000).default(1),
    /** Port the process serves, when nginx routes to it (e.g. a Daphne WebSocket server). Default: none. */
    port: port.optional(),
    ...appContainerSettingsShape,
    /** Memory and CPU ceilings of each container. Default: 512 MiB, 0.5 CPU. */
    limits: resourceLimits({ memoryMb: 512, cpus: "0.5" }),
});

export type WorkerGroupSettings = z.input<typeof workerGroupSettingsSchema>;

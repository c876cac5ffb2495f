import { z } from "zod";
import { cpus, memoryMb } from "./fields";

/**
 * Memory and CPU ceilings of a component's containers, each with the component's default: a stack may set one and
 * keep the other. Stack config spells them flat (`memoryMb`, `cpus` beside the other keys; config/schema.ts).
 */
export function resourceLimits(defaults: { readonly memoryMb: number; readonly cpus: string }) {
    return z
        .strictObject({
            /** Hard memory limit in MiB. */
            memoryMb: memoryMb.default(defaults.memoryMb),
            /** CPU quota as a decimal number of cores, e.g. "0.5". */
            cpus: cpus.default(defaults.cpus),
        })
        .prefault({});
}

/** Ceilings whose memory default follows another setting (Redis: its maxmemory plus headroom). */
export function resourceLimitsWithDerivedMemory(defaults: { readonly cpus: string }) {
    return z
        .strictObject({
            memoryMb: memoryMb.optional(),
            cpus: cpus.default(defaults.cpus),
        })
        .prefault({});
}

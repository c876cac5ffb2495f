import { z } from "zod";
import { wholeNumber } from "./fields";
import { resourceLimits } from "./limits";

/** One day. */
export const DEFAULT_BACKUP_INTERVAL_SECONDS = 24 * 60 * 60;
/** A week of daily dumps. */
export const DEFAULT_BACKUP_KEEP = 7;

/** What a stack decides about its scheduled pg_dump backups; each default is given here and nowhere else. */
export const backupSettingsSchema = z.strictObject({
    /** Seconds between the end of one dump and the start of the next. Default: 86400 (daily). */
    intervalSeconds: wholeNumber(1).default(DEFAULT_BACKUP_INTERVAL_SECONDS),
    /** Number of dumps kept; older ones are deleted after each successful dump. Default: 7. */
    keep: wholeNumber(1, 1000).default(DEFAULT_BACKUP_KEEP),
    /** Allow `pulumi destroy` to delete the dumps volume. Default: false, the volume is retained on the engine. */
    allowDumpDeletion: z.boolean().default(false),
    /** Memory and CPU ceilings. Default: 256 MiB, 0.5 CPU. */
    limits: resourceLimits({ memoryMb: 256, cpus: "0.5" }),
});

export type BackupSettings = z.input<typeof backupSettingsSchema>;

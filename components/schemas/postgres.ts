import { z } from "zod";
import { port, sqlIdentifier } from "./fields";
import { imageSource } from "./image";
import { resourceLimits } from "./limits";

/**
 * Official postgres 15 pinned by digest, so a re-tag upstream cannot change what runs. The digest is taken from
 * public pins of this tag; this machine reaches no registry to re-check it.
 */
export const DEFAULT_POSTGRES_IMAGE =
    "postgres:15-alpine@sha256:fe0737ba566a2c5b2a28f34433c0a423261900ec17b9bf7ad115e1aae7e57f1b";

/** The port the server listens on inside its network. */
export const POSTGRES_PORT = 5432;

/** What a stack decides about its PostgreSQL server; each default is given here and nowhere else. */
export const postgresSettingsSchema = z.strictObject({
    /** Image to run. Default: DEFAULT_POSTGRES_IMAGE (official postgres 15, pinned by digest). */
    image: imageSource.default({ reference: DEFAULT_POSTGRES_IMAGE }),
    /** Database created on first start. Default: "app". */
    database: sqlIdentifier.default("app"),
    /** Owner role of that database. Default: "app". */
    user: sqlIdentifier.default("app"),
    /** Publish 5432 on 127.0.0.1 at this port for local tools. Default: not published. */
    hostPort: port.optional(),
    /** Allow `pulumi destroy` to delete the data volume. Default: false, the volume is retained on the engine. */
    allowDataDeletion: z.boolean().default(false),
    /** Memory and CPU ceilings. Default: 1024 MiB, 1 CPU. */
    limits: resourceLimits({ memoryMb: 1024, cpus: "1" }),
});

export type PostgresSettings = z.input<typeof postgresSettingsSchema>;

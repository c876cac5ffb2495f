import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { LABELS } from "../rules/labels";
import { ContainerRole, HealthTiming, hardenedContainerArgs, healthcheck } from "./hardening";
import { ImageSource, engineImage } from "./image";
import { BackupSettings, backupSettingsSchema } from "./schemas/backup";
import { parseSettings } from "./schemas/settings";
import { Postgres } from "./postgres";

/**
 * Where dumps live inside the backup container: the `postgres` user's home, which both the official image and
 * webplatform/postgres ship owned by `postgres`. A fresh named volume takes the owner of the directory it is
 * mounted over, so a non-root process can write to it only when that directory exists in the image with the
 * right owner; a path such as /backups does not exist there and would leave the volume root-owned and read-only.
 */
export const BACKUP_DIRECTORY = "/var/lib/postgresql";

/** Label naming the database container a backup container dumps; scripts/restore-postgres.sh finds it by this. */
export const BACKUP_OF_LABEL = "webplatform.backup-of";

/**
 * Role label of the backup container. Not "worker": the policy pack applies the application guards (production
 * marker, migration order) to workers, and a pg_dump loop is not application code.
 */
export const BACKUP_ROLE: ContainerRole = "backup";

export { DEFAULT_BACKUP_INTERVAL_SECONDS, DEFAULT_BACKUP_KEEP } from "./schemas/backup";
/** After a failed dump the loop tries again after this many seconds (or the interval, if shorter). */
export const BACKUP_RETRY_SECONDS = 60;

/** File names of dumps and of database names in them: safe unquoted in a shell and in a file name. */
const DUMP_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** A BackupSettings (components/schemas/backup.ts), the database it dumps and where the loop runs. */
export interface PostgresBackupArgs extends BackupSettings {
    /** Host name of the database server on `network` (Postgres.host). */
    readonly host: pulumi.Input<string>;
    /** Server port. Default: 5432. */
    readonly port?: number;
    /** Database to dump (Postgres.database). */
    readonly database: string;
    /** Role that dumps it (Postgres.user). */
    readonly user: string;
    /** Password of that role (Postgres.password); a secret. It reaches pg_dump only as PGPASSWORD. */
    readonly password: pulumi.Input<string>;
    /** Docker network shared with the database, normally the platform's internal one. */
    readonly network: pulumi.Input<string>;
    /**
     * Image with pg_dump: an image ID or reference, or an ImageSource resolved on the engine. Use the database's
     * own image (Postgres.container.image, what `postgresBackupTarget` passes), so pg_dump matches the server.
     */
    readonly image: pulumi.Input<string> | ImageSource;
    /**
     * Healthcheck timing. Default: probe every min(interval, 30 s), 10 s timeout, 3 retries, and a 10 minute
     * start period that covers the first dump.
     */
    readonly healthTiming?: HealthTiming;
    /** Count the container as created only once its first dump exists (wait: true). Default: true. */
    readonly waitForFirstDump?: boolean;
    /** Seconds `pulumi up` waits for the first dump when waitForFirstDump is set. Default: 900. */
    readonly waitTimeoutSeconds?: number;
}

/** The database-side arguments of a PostgresBackup, taken from a Postgres component (its own image included). */
export function postgresBackupTarget(
    postgres: Postgres,
): Pick<PostgresBackupArgs, "host" | "port" | "database" | "user" | "password" | "image"> {
    return {
        host: postgres.host,
        port: postgres.port,
        database: postgres.database,
        user: postgres.user,
        password: postgres.password,
        image: postgres.container.image,
    };
}

/** Schedule of a backup loop. */
export interface BackupSchedule {
    readonly database: string;
    readonly intervalSeconds: number;
    readonly keep: number;
}

/** File-name pattern of the dumps of `database`: `<database>-YYYYMMDDTHHMMSSZ.dump`, which sorts by time. */
export function dumpPattern(database: string): string {
    return `${database}-????????T??????Z.dump`;
}

/**
 * The backup loop, a POSIX sh script: dump to a hidden temporary file and rename it (so a partial dump never
 * counts as a backup), delete all but the newest `keep` dumps, then sleep. A failed dump is retried sooner.
 * Connection settings and the password come from the environment (PG* variables), never from argv.
 */
export function backupScript(schedule: BackupSchedule): string {
    const { database, intervalSeconds, keep } = schedule;
    const retrySeconds = Math.min(intervalSeconds, BACKUP_RETRY_SECONDS);
    return [
        "set -u",
        "umask 077",
        `cd ${BACKUP_DIRECTORY}`,
        // `sleep & wait` instead of a foreground sleep, so docker stop ends the loop at once.
        "trap 'exit 0' TERM INT",
        // A dump cut short by a stop or a crash left its temporary file behind.
        `rm -f .${database}-*.dump.partial`,
        "while :; do",
        "  stamp=$(date -u +%Y%m%dT%H%M%SZ)",
        `  partial=.${database}-$stamp.dump.partial`,
        `  dump=${database}-$stamp.dump`,
        '  if pg_dump --format=custom --no-password --file="$partial"; then',
        '    mv "$partial" "$dump"',
        '    echo "backup: wrote $dump ($(wc -c <"$dump") bytes)"',
        `    set -- ${dumpPattern(database)}`,
        `    while [ "$#" -gt ${keep} ]; do`,
        '      rm -f "$1"',
        `      echo "backup: removed $1 (keeping the newest ${keep})"`,
        "      shift",
        "    done",
        `    pause=${intervalSeconds}`,
        "  else",
        '    rm -f "$partial"',
        `    echo "backup: pg_dump failed; next attempt in ${retrySeconds}s" >&2`,
        `    pause=${retrySeconds}`,
        "  fi",
        '  sleep "$pause" &',
        '  wait "$!"',
        "done",
    ].join("\n");
}

/** Healthcheck script: passes while the newest dump is at most `maxAgeSeconds` old, and says how old it is. */
export function freshnessCheck(database: string, maxAgeSeconds: number): string {
    return [
        `newest=; for dump in ${BACKUP_DIRECTORY}/${dumpPattern(database)}; do [ -f "$dump" ] && newest=$dump; done`,
        'if [ -z "$newest" ]; then echo "no dump yet"; exit 1; fi',
        'age=$(( $(date +%s) - $(stat -c %Y "$newest") ))',
        `if [ "$age" -gt ${maxAgeSeconds} ]; then echo "newest dump $newest is \${age}s old, over ${maxAgeSeconds}s"; exit 1; fi`,
        'echo "newest dump $newest is ${age}s old"',
    ].join("; ");
}

/**
 * Scheduled logical backups of one PostgreSQL database: a long-running, hardened container (the database's
 * own image, as `postgres`) that writes `pg_dump --format=custom` dumps to a named volume that `pulumi destroy`
 * keeps, deletes all but the newest `keep`, and reports unhealthy when the newest dump is older than twice the
 * interval. Restore with scripts/restore-postgres.sh (docs/backup-restore.md).
 */
export class PostgresBackup extends pulumi.ComponentResource {
    /** Volume holding the dumps; retained on destroy unless allowDumpDeletion is set. */
    public readonly volume: docker.Volume;
    public readonly container: docker.Container;
    /** Name of the dumps volume on the engine. */
    public readonly volumeName: pulumi.Output<string>;
    /** Directory of the dumps inside the container. */
    public readonly directory: string;
    public readonly schedule: BackupSchedule;
    /** Names of its container and volume on the engine, for summaries. */
    public readonly containerNames: readonly string[];
    public readonly volumeNames: readonly string[];

    constructor(name: string, args: PostgresBackupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webplatform:index:PostgresBackup", name, {}, opts);
        if (!DUMP_NAME.test(args.database)) {
            throw new Error(
                `${name}: database "${args.database}" cannot name dump files; use letters, digits, "_", "." and "-".`,
            );
        }
        const settings = parseSettings(name, backupSettingsSchema, args);
        const { intervalSeconds, keep, limits } = settings;
        const schedule: BackupSchedule = { database: args.database, intervalSeconds, keep };
        const timing = args.healthTiming ?? {
            interval: `${Math.min(intervalSeconds, 30)}s`,
            timeout: "10s",
            retries: 3,
            startPeriod: "10m",
        };
        const waitForFirstDump = args.waitForFirstDump ?? true;
        const childOpts: pulumi.CustomResourceOptions = { parent: this };

        const imageId = isImageSource(args.image)
            ? engineImage(`${name}-image`, args.image, childOpts).imageId
            : pulumi.output(args.image);

        this.volume = new docker.Volume(
            `${name}-dumps`,
            { name: `${name}-dumps` },
            // Retained, not protected: `pulumi destroy` completes and the dumps stay on the engine.
            { ...childOpts, retainOnDelete: !settings.allowDumpDeletion },
        );

        const connection: Record<string, pulumi.Input<string>> = {
            PGCONNECT_TIMEOUT: "10",
            PGDATABASE: args.database,
            PGHOST: args.host,
            PGPASSWORD: args.password,
            PGPORT: String(args.port ?? 5432),
            PGUSER: args.user,
        };
        const names = Object.keys(connection).sort();
        // One secret list: the password never reaches state, the CLI or a command line in plain text.
        const envs = pulumi.secret(
            pulumi
                .all(names.map((key) => connection[key]))
                .apply((values) => names.map((key, i) => `${key}=${values[i]}`)),
        );

        this.container = new docker.Container(
            `${name}-loop`,
            {
                name,
                image: imageId,
                user: "postgres",
                entrypoints: ["/bin/sh", "-c"],
                command: [backupScript(schedule)],
                envs,
                // containerLabels takes plain values; the database host here is an output, so the list is spelled out.
                labels: [
                    { label: BACKUP_OF_LABEL, value: args.host },
                    { label: LABELS.component, value: name },
                    { label: LABELS.role, value: BACKUP_ROLE },
                ],
                readOnly: true,
                tmpfs: { "/tmp": "rw,size=64m" },
                volumes: [{ volumeName: this.volume.name, containerPath: BACKUP_DIRECTORY }],
                networksAdvanced: [{ name: args.network }],
                healthcheck: healthcheck(["CMD-SHELL", freshnessCheck(args.database, 2 * intervalSeconds)], timing),
                wait: waitForFirstDump,
                waitTimeout: waitForFirstDump ? (args.waitTimeoutSeconds ?? 900) : undefined,
                ...hardenedContainerArgs({ limits }),
            },
            // Children do not inherit a component's dependsOn, so the container takes it over explicitly.
            { ...childOpts, deleteBeforeReplace: true, dependsOn: opts?.dependsOn },
        );

        this.volumeName = this.volume.name;
        this.directory = BACKUP_DIRECTORY;
        this.schedule = schedule;
        this.containerNames = [name];
        this.volumeNames = [`${name}-dumps`];
        this.registerOutputs({ volumeName: this.volumeName, schedule });
    }
}

function isImageSource(image: pulumi.Input<string> | ImageSource): image is ImageSource {
    return (
        typeof image === "object" &&
        !pulumi.Output.isInstance(image) &&
        !(image instanceof Promise) &&
        ("reference" in image || "build" in image)
    );
}

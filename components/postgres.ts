import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { secretConnectionUrl } from "./connectionUrl";
import {
    DEFAULT_HEALTH_TIMING,
    HealthTiming,
    ResourceLimits,
    containerLabels,
    hardenedContainerArgs,
    healthcheck,
} from "./hardening";
import { dockerCliStep } from "./dockerCli";
import { ImageSource, engineImage } from "./image";
import { GENERATED_SECRET_LENGTHS, urlSafeSecret } from "./secrets";
import { shellCommand } from "./shell";

/**
 * Official postgres 15 pinned by digest, so a re-tag upstream cannot change what runs. The digest is taken from
 * public pins of this tag; this machine reaches no registry to re-check it.
 */
export const DEFAULT_POSTGRES_IMAGE =
    "postgres:15-alpine@sha256:fe0737ba566a2c5b2a28f34433c0a423261900ec17b9bf7ad115e1aae7e57f1b";

export interface PostgresArgs {
    /** Docker network the database joins; it publishes nothing else unless `hostPort` is set. */
    readonly network: pulumi.Input<string>;
    /** Image to run. Default: DEFAULT_POSTGRES_IMAGE (official postgres 15, pinned by digest). */
    readonly image?: ImageSource;
    /** Database created on first start. Default: "app". */
    readonly database?: string;
    /** Owner role of that database. Default: "app". */
    readonly user?: string;
    /** Change to rotate the generated password. Default: no rotation. */
    readonly passwordRotation?: pulumi.Input<string>;
    /** Publish 5432 on 127.0.0.1 at this port for local tools. Default: not published. */
    readonly hostPort?: number;
    /** Allow `pulumi destroy` to delete the data volume. Default: false, the volume is retained on the engine. */
    readonly allowDataDeletion?: boolean;
    /** Memory and CPU ceilings. Default: 1024 MiB, 1 CPU. */
    readonly limits?: ResourceLimits;
    /** Healthcheck timing. Default: DEFAULT_HEALTH_TIMING. */
    readonly healthTiming?: HealthTiming;
}

/**
 * Sets the role's password to the generated one over the server's local socket. PostgreSQL applies
 * POSTGRES_PASSWORD only when it initialises an empty data directory, so without this a rotated password, or a
 * new stack on a retained volume, would leave the application unable to log in. psql reads the password from
 * its stdin (passwordSyncInput), so it is in no argv, on this machine or on the engine's host.
 */
export function passwordSyncCommand(container: string, user: string, database: string): string {
    return `${shellCommand(["docker", "exec", "-i", container, "psql", "-v", "ON_ERROR_STOP=1", "-U", user, "-d", database, "-q"])} 2>&1`;
}

/** What psql reads on stdin: the password into a psql variable, then the ALTER ROLE that uses it. */
export function passwordSyncInput(user: string, password: string): string {
    // In a psql meta-command argument, a quote is doubled and a backslash escapes.
    const quoted = password.replace(/\\/g, "\\\\").replace(/'/g, "''");
    return `\\set new_password '${quoted}'\nALTER ROLE ${user} PASSWORD :'new_password';\n`;
}

/**
 * PostgreSQL in a hardened container with its data on a named volume that `pulumi destroy` keeps, and a
 * healthcheck that names both role and database (`pg_isready` without `-d` probes a database named after the
 * user, which passes while the real database is missing).
 */
export class Postgres extends pulumi.ComponentResource {
    /** Host name of the server on the private network. */
    public readonly host: pulumi.Output<string>;
    public readonly port: number;
    public readonly database: string;
    public readonly user: string;
    /** Generated password; a secret. */
    public readonly password: pulumi.Output<string>;
    /** `postgresql://user:password@host:5432/database`; a secret. */
    public readonly url: pulumi.Output<string>;
    public readonly volume: docker.Volume;
    public readonly container: docker.Container;
    /** Applies the generated password to the role after every start or rotation. */
    public readonly passwordSync: command.local.Command;

    constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webplatform:index:Postgres", name, {}, opts);
        const database = args.database ?? "app";
        const user = args.user ?? "app";
        const limits = args.limits ?? { memoryMb: 1024, cpus: "1" };
        const childOpts: pulumi.CustomResourceOptions = { parent: this };

        const password = urlSafeSecret(
            `${name}-password`,
            { length: GENERATED_SECRET_LENGTHS.password, rotation: args.passwordRotation },
            { parent: this },
        );
        const image = engineImage(`${name}-image`, args.image ?? { reference: DEFAULT_POSTGRES_IMAGE }, childOpts);

        const keepData = !(args.allowDataDeletion ?? false);
        this.volume = new docker.Volume(
            `${name}-data`,
            { name: `${name}-data` },
            // Retained, not protected: `pulumi destroy` completes and the volume stays on the engine with its data.
            { ...childOpts, retainOnDelete: keepData },
        );

        const hostName = `${name}`;
        this.container = new docker.Container(
            `${name}-server`,
            {
                name: hostName,
                image: image.imageId,
                user: "postgres",
                envs: pulumi.secret(
                    password.result.apply((value) => [
                        `POSTGRES_DB=${database}`,
                        `POSTGRES_PASSWORD=${value}`,
                        `POSTGRES_USER=${user}`,
                    ]),
                ),
                volumes: [{ volumeName: this.volume.name, containerPath: "/var/lib/postgresql/data" }],
                readOnly: true,
                labels: containerLabels(name, "database"),
                tmpfs: { "/var/run/postgresql": "rw,size=16m", "/tmp": "rw,size=64m" },
                shmSize: 128,
                networksAdvanced: [{ name: args.network, aliases: [hostName] }],
                ports:
                    args.hostPort === undefined
                        ? []
                        : [{ internal: 5432, external: args.hostPort, ip: "127.0.0.1", protocol: "tcp" }],
                healthcheck: healthcheck(
                    ["CMD", "pg_isready", "-U", user, "-d", database, "-h", "127.0.0.1"],
                    args.healthTiming ?? DEFAULT_HEALTH_TIMING,
                ),
                wait: true,
                waitTimeout: 120,
                ...hardenedContainerArgs({ limits }),
            },
            // Children do not inherit a component's dependsOn, so the container takes it over explicitly.
            { ...childOpts, deleteBeforeReplace: true, dependsOn: opts?.dependsOn },
        );

        this.passwordSync = dockerCliStep(
            `${name}-password-sync`,
            {
                script: this.container.name.apply((container) => passwordSyncCommand(container, user, database)),
                stdin: password.result.apply((value) => passwordSyncInput(user, value)),
                // A new container or a new password runs it again.
                triggers: [this.container.id, password.result],
                secret: true,
            },
            { parent: this, dependsOn: [this.container] },
        );

        this.host = this.container.name;
        this.port = 5432;
        this.database = database;
        this.user = user;
        this.password = password.result;
        this.url = secretConnectionUrl({
            scheme: "postgresql",
            username: user,
            password: password.result,
            host: this.host,
            port: this.port,
            database,
        });
        this.registerOutputs({ host: this.host, port: this.port, database, user, url: this.url });
    }
}

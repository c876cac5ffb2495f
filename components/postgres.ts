import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { secretConnectionUrl } from "./connectionUrl";
import { DEFAULT_HEALTH_TIMING, HealthTiming, containerLabels, hardenedContainerArgs, healthcheck } from "./hardening";
import { dockerCliStep } from "./dockerCli";
import { engineImage } from "./image";
import { POSTGRES_PORT, PostgresSettings, postgresSettingsSchema } from "./schemas/postgres";
import { parseSettings } from "./schemas/settings";
import { GENERATED_SECRET_LENGTHS, urlSafeSecret } from "./secrets";
import { shellCommand } from "./shell";

export { DEFAULT_POSTGRES_IMAGE } from "./schemas/postgres";

/** A PostgresSettings (components/schemas/postgres.ts) and where the server runs. */
export interface PostgresArgs extends PostgresSettings {
    /** Docker network the database joins; it publishes nothing else unless `hostPort` is set. */
    readonly network: pulumi.Input<string>;
    /** Change to rotate the generated password. Default: no rotation. */
    readonly passwordRotation?: pulumi.Input<string>;
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
    /** Names of its container and volume on the engine, for summaries. */
    public readonly containerNames: readonly string[];
    public readonly volumeNames: readonly string[];
    /** Applies the generated password to the role after every start or rotation. */
    public readonly passwordSync: command.local.Command;

    constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webplatform:index:Postgres", name, {}, opts);
        const settings = parseSettings(name, postgresSettingsSchema, args);
        const { database, user, limits } = settings;
        const childOpts: pulumi.CustomResourceOptions = { parent: this };

        const password = urlSafeSecret(
            `${name}-password`,
            { length: GENERATED_SECRET_LENGTHS.password, rotation: args.passwordRotation },
            { parent: this },
        );
        const image = engineImage(`${name}-image`, settings.image, childOpts);

        const keepData = !settings.allowDataDeletion;
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
                    settings.hostPort === undefined
                        ? []
                        : [{ internal: POSTGRES_PORT, external: settings.hostPort, ip: "127.0.0.1", protocol: "tcp" }],
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
        this.port = POSTGRES_PORT;
        this.containerNames = [hostName];
        this.volumeNames = [`${name}-data`];
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

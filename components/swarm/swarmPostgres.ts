import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { secretConnectionUrl } from "../connectionUrl";
import { DEFAULT_HEALTH_TIMING, HealthTiming } from "../hardening";
import { engineImage } from "../image";
import { POSTGRES_PORT, PostgresSettings, postgresSettingsSchema } from "../schemas/postgres";
import { parseSettings } from "../schemas/settings";
import { GENERATED_SECRET_LENGTHS, urlSafeSecret } from "../secrets";
import { SECRETS_DIRECTORY, swarmDatastore } from "./swarmDatastore";

/** The file the generated password is mounted as; the image reads it through POSTGRES_PASSWORD_FILE. */
export const POSTGRES_PASSWORD_FILE = "postgres-password";
/**
 * The postgres user's uid in the default image, owner of the password file (mode 0400): the official alpine
 * variant creates postgres as 70 (Alpine's standard uid), not 999 as the Debian variant does; with 999 the server
 * could not read its own password file and the data directory would never initialise.
 */
export const POSTGRES_UID = "70";

export interface SwarmPostgresArgs extends PostgresSettings {
    /** The private overlay network, by ID or name. */
    readonly network: pulumi.Input<string>;
    /** key=value of the one node that holds the data volume. */
    readonly nodeLabel: string;
    /** Change to rotate the generated password. Default: no rotation. */
    readonly passwordRotation?: pulumi.Input<string>;
    /** Healthcheck timing. Default: DEFAULT_HEALTH_TIMING. */
    readonly healthTiming?: HealthTiming;
}

/**
 * PostgreSQL as a single-replica swarm service pinned to its data node, its generated password a Docker secret
 * mounted as a file (POSTGRES_PASSWORD_FILE), with the host target's healthcheck that names role and database.
 * Unlike the host target, the password is applied only when the data directory is initialised: the password sync
 * runs `docker exec`, which the manager cannot do on another node, so a rotation on an existing volume is not
 * applied yet (issue 11, phase 2).
 */
export class SwarmPostgres extends pulumi.ComponentResource {
    public readonly host: string;
    public readonly port: number;
    public readonly database: string;
    public readonly user: string;
    /** Generated password; a secret. */
    public readonly password: pulumi.Output<string>;
    /** `postgresql://user:password@host:5432/database`; a secret. */
    public readonly url: pulumi.Output<string>;
    public readonly secret: docker.Secret;
    public readonly service: docker.Service;
    /** Name of the volume on the data node. */
    public readonly volumeName: string;

    constructor(name: string, args: SwarmPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webplatform:swarm:Postgres", name, {}, opts);
        const settings = parseSettings(name, postgresSettingsSchema, args);
        if (settings.hostPort !== undefined) {
            throw new Error(
                `${name}: hostPort is not supported on a swarm (a published port would open on every node). Fix: remove webplatform:postgres.hostPort, or use target: host.`,
            );
        }
        const { database, user, limits } = settings;
        const childOpts: pulumi.CustomResourceOptions = { parent: this, dependsOn: opts?.dependsOn };
        const password = urlSafeSecret(
            `${name}-password`,
            { length: GENERATED_SECRET_LENGTHS.password, rotation: args.passwordRotation },
            { parent: this },
        );
        const image = engineImage(`${name}-image`, settings.image, { parent: this });
        const { secret, service } = swarmDatastore(
            name,
            {
                role: "database",
                image: image.imageId,
                user: "postgres",
                uid: POSTGRES_UID,
                secretData: password.result,
                secretFile: POSTGRES_PASSWORD_FILE,
                env: {
                    POSTGRES_DB: database,
                    POSTGRES_USER: user,
                    POSTGRES_PASSWORD_FILE: `${SECRETS_DIRECTORY}/${POSTGRES_PASSWORD_FILE}`,
                },
                volumeTarget: "/var/lib/postgresql/data",
                tmpfs: { "/var/run/postgresql": 16, "/tmp": 64 },
                healthcheck: ["CMD", "pg_isready", "-U", user, "-d", database, "-h", "127.0.0.1"],
                healthTiming: args.healthTiming ?? DEFAULT_HEALTH_TIMING,
                limits,
                network: args.network,
                nodeLabel: args.nodeLabel,
            },
            childOpts,
        );
        this.secret = secret;
        this.service = service;
        this.host = name;
        this.port = POSTGRES_PORT;
        this.database = database;
        this.user = user;
        this.volumeName = `${name}-data`;
        this.password = password.result;
        this.url = secretConnectionUrl({
            scheme: "postgresql",
            username: user,
            password: password.result,
            host: pulumi.output(name),
            port: POSTGRES_PORT,
            database,
        });
        this.registerOutputs({ host: this.host, port: this.port, database, user, url: this.url });
    }
}

import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import {
    ContainerSpecWithInit,
    datastoreUpdateConfig,
    hardenedContainerSpec,
    hardenedTaskSpec,
    nodeLabelConstraint,
    serviceHealthcheck,
    serviceLabels,
} from "./serviceHardening";
import { ContainerRole, HealthTiming, ResourceLimits } from "../hardening";

/**
 * What PostgreSQL and Redis share on a swarm: one replica pinned by a placement constraint to the labelled node
 * that holds its named volume (the task creates the volume there; no Volume resource, which the manager would
 * create on itself), a generated secret as a Docker secret mounted as a file readable only by the server's user,
 * stop-first updates that roll back, and the host target's hardening. The secret reaches the service by reference,
 * so `docker service inspect` shows its name and file, never its value.
 */

/** Where a mounted Docker secret appears in the container. */
export const SECRETS_DIRECTORY = "/run/secrets";

/** How long an update watches the new task before it counts as done (or rolls back). */
export const DATASTORE_UPDATE_MONITOR = "30s";

const MIB = 1024 * 1024;

export interface SwarmDatastoreArgs {
    readonly role: ContainerRole;
    readonly image: pulumi.Input<string>;
    /** The server's user, by name and by numeric id (the secret file's owner). */
    readonly user: string;
    readonly uid: string;
    /** The secret's content (a Pulumi secret) and the file name it is mounted as, under SECRETS_DIRECTORY. */
    readonly secretData: pulumi.Output<string>;
    readonly secretFile: string;
    readonly env?: Record<string, string>;
    readonly command?: readonly string[];
    readonly volumeTarget: string;
    /** tmpfs mounts: path → size in MiB. */
    readonly tmpfs: Readonly<Record<string, number>>;
    readonly healthcheck: readonly string[];
    readonly healthTiming: HealthTiming;
    readonly limits: ResourceLimits;
    /** The overlay network it joins, by ID or name. */
    readonly network: pulumi.Input<string>;
    /** key=value of the node that holds its volume. */
    readonly nodeLabel: string;
}

/** The Docker secret and the service of one datastore; `name` is its service (and host) name. */
export function swarmDatastore(
    name: string,
    args: SwarmDatastoreArgs,
    opts: pulumi.CustomResourceOptions,
): { secret: docker.Secret; service: docker.Service } {
    // Docker secrets are immutable: auto-named, so a new password makes a new secret before the old one goes.
    const secret = new docker.Secret(
        `${name}-secret`,
        {
            data: pulumi.secret(args.secretData.apply((text) => Buffer.from(text, "utf8").toString("base64"))),
            labels: serviceLabels(name, args.role),
        },
        opts,
    );
    const containerSpec: ContainerSpecWithInit = {
        image: args.image,
        ...hardenedContainerSpec({ user: args.user }),
        commands: args.command ? [...args.command] : undefined,
        env: args.env,
        labels: serviceLabels(name, args.role),
        secrets: [
            {
                secretId: secret.id,
                secretName: secret.name,
                fileName: args.secretFile,
                fileUid: args.uid,
                fileGid: args.uid,
                fileMode: 0o400,
            },
        ],
        mounts: [
            { type: "volume", source: `${name}-data`, target: args.volumeTarget },
            ...Object.entries(args.tmpfs).map(([target, sizeMb]) => ({
                type: "tmpfs",
                target,
                tmpfsOptions: { sizeBytes: sizeMb * MIB },
            })),
        ],
        healthcheck: serviceHealthcheck(args.healthcheck, args.healthTiming),
        stopGracePeriod: "30s",
    };
    const service = new docker.Service(
        `${name}-service`,
        {
            name,
            labels: serviceLabels(name, args.role),
            mode: { replicated: { replicas: 1 } },
            // No virtual IP: this kernel has no IPVS, so VIPs do not route between nodes; DNS names the task.
            endpointSpec: { mode: "dnsrr" },
            ...datastoreUpdateConfig(DATASTORE_UPDATE_MONITOR),
            // The provider waits for the task to be running and healthy (a task with a healthcheck is "starting"
            // until it passes), so dependents start only after it.
            convergeConfig: { delay: "2s", timeout: "3m" },
            taskSpec: {
                containerSpec,
                placement: { constraints: [nodeLabelConstraint(args.nodeLabel)], maxReplicas: 1 },
                networksAdvanceds: [{ name: args.network, aliases: [name] }],
                ...hardenedTaskSpec(args.limits),
            },
        },
        opts,
    );
    return { secret, service };
}

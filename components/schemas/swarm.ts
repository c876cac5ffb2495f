import { z } from "zod";

/**
 * Which kind of Docker engine a platform deploys to, and how it uses a swarm. The stack config describes the
 * platform, not the engine, so the same stack file deploys to one host or to a swarm by this switch alone.
 */

export const DEPLOY_TARGETS = ["host", "swarm"] as const;
export type DeployTarget = (typeof DEPLOY_TARGETS)[number];
/** Today's behaviour: containers on one engine. */
export const DEFAULT_DEPLOY_TARGET: DeployTarget = "host";

/** A node label as `docker node update --label-add` takes it: key=value. */
const nodeLabel = z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*=[A-Za-z0-9._-]+$/, 'must be a node label such as "webplatform.datastore=true"');

export const swarmSettingsSchema = z.strictObject({
    /**
     * The label of the one node that holds the PostgreSQL and Redis volumes; both are pinned to it, so their data
     * never moves. Default: webplatform.datastore=true.
     */
    datastoreNodeLabel: nodeLabel.default("webplatform.datastore=true"),
    /** The label of the nodes nginx runs on and publishes its ports from. Default: webplatform.edge=true. */
    edgeNodeLabel: nodeLabel.default("webplatform.edge=true"),
    /**
     * Encrypt the private overlay network (IPsec between nodes). Needs a kernel with ESP and AES-GCM; production
     * refuses false. Default: true.
     */
    encryptedOverlay: z.boolean().default(true),
});
export type SwarmSettings = z.output<typeof swarmSettingsSchema>;

/** How a stack chooses its engine: `target` and, for a swarm, `swarm`. */
export const deployTargetSettingsShape = {
    /** "host" (containers on one Docker engine) or "swarm" (services on a swarm manager). Default: host. */
    target: z.enum(DEPLOY_TARGETS).optional(),
    /** How the platform uses a swarm; read only with target: swarm. Default: the defaults above. */
    swarm: swarmSettingsSchema.optional(),
};

/** The target a stack deploys to, its default applied. */
export function deployTargetOf(settings: { readonly target?: DeployTarget }): DeployTarget {
    return settings.target ?? DEFAULT_DEPLOY_TARGET;
}

/** A stack's swarm settings with every default filled in. */
export function swarmSettingsOf(settings: { readonly swarm?: z.input<typeof swarmSettingsSchema> }): SwarmSettings {
    return swarmSettingsSchema.parse(settings.swarm ?? {});
}

import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

import { OVERLAY_ENCRYPTED_OPTION } from "../../rules/swarm/overlay";

export interface PrivateOverlayArgs {
    /** Encrypt traffic between nodes. Needs ESP and AES-GCM in every node's kernel (this machine's has neither). */
    readonly encrypted: boolean;
    /** MTU of the network. Default: Docker's. */
    readonly mtu?: number;
}

/**
 * The platform's private network on a swarm: an overlay (it spans the nodes), internal (no route out, as on one
 * host) and attachable, so the one-shot steps the manager runs with `docker run` can join it.
 */
export function privateOverlayNetwork(
    name: string,
    args: PrivateOverlayArgs,
    opts: pulumi.CustomResourceOptions,
): docker.Network {
    return new docker.Network(
        name,
        {
            name,
            driver: "overlay",
            internal: true,
            attachable: true,
            options: {
                ...(args.encrypted ? { [OVERLAY_ENCRYPTED_OPTION]: "true" } : {}),
                ...(args.mtu ? { "com.docker.network.driver.mtu": String(args.mtu) } : {}),
            },
        },
        opts,
    );
}

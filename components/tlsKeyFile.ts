import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ResourceLimits } from "./hardening";
import { OneShotContainer } from "./oneShotContainer";

/**
 * Where nginx reads its TLS private key: a directory the nginx image owns as its service user with mode 0700
 * (images/nginx), over which a volume of the key is mounted. Docker copies the directory's owner and mode into the
 * empty volume the first time it is mounted, so the non-root writer can create the file.
 */
export const TLS_KEY_DIRECTORY = "/etc/nginx/tls";
export const TLS_KEY_FILE = `${TLS_KEY_DIRECTORY}/private-key.pem`;

/** The writer's own ceiling: it only runs `cat`. */
const WRITER_LIMITS: ResourceLimits = { memoryMb: 32, cpus: "0.25" };

/**
 * The writer's script: the key arrives on stdin and lands with mode 0600 (umask 077), written beside the old key
 * and renamed over it, so a restarting nginx never reads half a key. A directory the user cannot write (an image
 * without images/nginx's /etc/nginx/tls) fails the step with the fix.
 */
const WRITE_SCRIPT = [
    `if [ ! -w ${TLS_KEY_DIRECTORY} ]; then echo "${TLS_KEY_DIRECTORY} is not writable by uid $(id -u): the nginx image must create it owned by its service user with mode 0700 (see images/nginx/Dockerfile)" >&2; exit 1; fi`,
    "umask 077",
    `cat > ${TLS_KEY_DIRECTORY}/.private-key.pem.new`,
    `if [ ! -s ${TLS_KEY_DIRECTORY}/.private-key.pem.new ]; then echo "no TLS private key arrived on stdin" >&2; exit 1; fi`,
    `mv -f ${TLS_KEY_DIRECTORY}/.private-key.pem.new ${TLS_KEY_FILE}`,
].join(" && ");

export interface TlsKeyFileArgs {
    /** The nginx image (ID or reference); the writer runs it, so the volume takes its directory's owner. */
    readonly image: pulumi.Input<string>;
    /** The user nginx runs as; the file is written as this user. */
    readonly user: string;
    /** PEM private key; pass a secret. */
    readonly privateKeyPem: pulumi.Input<string>;
}

/**
 * nginx's TLS private key as a file with mode 0600 in a volume of its own, written by a one-shot container fed on
 * stdin, so the key is in no container's environment or command (`docker inspect`), no process list and, being a
 * secret trigger, only as ciphertext in the state. A new key replaces the writer step; nginx is replaced with it
 * (`replaceWith`), so it restarts with the new key.
 */
export class TlsKeyFile extends pulumi.ComponentResource {
    /** The volume holding the key; mount it read-only at TLS_KEY_DIRECTORY. */
    public readonly volume: docker.Volume;
    /** The step that writes the key; a replacement of it must replace nginx. */
    public readonly writer: OneShotContainer;

    constructor(name: string, args: TlsKeyFileArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webplatform:index:TlsKeyFile", name, {}, opts);
        // PEM readers want the last line ended; a key pasted into config often is not.
        const key = pulumi.secret(
            pulumi.output(args.privateKeyPem).apply((pem) => (pem.endsWith("\n") ? pem : `${pem}\n`)),
        );
        this.volume = new docker.Volume(`${name}-volume`, { name }, { parent: this });
        this.writer = new OneShotContainer(
            `${name}-write`,
            {
                image: args.image,
                command: ["sh", "-c", WRITE_SCRIPT],
                network: "none",
                environment: { plain: {}, secret: {} },
                user: args.user,
                limits: WRITER_LIMITS,
                // The key itself as a secret trigger: a new key replaces the step (and with it nginx).
                triggers: [args.image, this.volume.name, key],
                volumes: [{ volumeName: this.volume.name, containerPath: TLS_KEY_DIRECTORY }],
                purpose: "tls-key",
                stdin: key,
            },
            { parent: this, dependsOn: [this.volume] },
        );
        this.registerOutputs({});
    }
}

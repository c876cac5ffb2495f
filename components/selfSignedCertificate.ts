import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { shellCommand } from "./shell";

export interface SelfSignedCertificateArgs {
    /** Host name the certificate is for; 127.0.0.1 is always added as an IP subject alternative name. */
    readonly hostName: string;
    /** Validity in days. Default: 365. */
    readonly validityDays?: number;
}

/**
 * A self-signed TLS certificate for development stacks, made with the deploy machine's openssl. The private key
 * never leaves Pulumi secrets. Production stacks bring their own certificate.
 */
export class SelfSignedCertificate extends pulumi.ComponentResource {
    /** PEM certificate. */
    public readonly certificatePem: pulumi.Output<string>;
    /** PEM private key; a secret. */
    public readonly privateKeyPem: pulumi.Output<string>;

    constructor(name: string, args: SelfSignedCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webplatform:index:SelfSignedCertificate", name, {}, opts);
        const days = args.validityDays ?? 365;
        const generate = new command.local.Command(
            `${name}-openssl`,
            {
                create: shellCommand([
                    "openssl",
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-sha256",
                    "-days",
                    String(days),
                    "-subj",
                    `/CN=${args.hostName}`,
                    "-addext",
                    `subjectAltName=DNS:${args.hostName},IP:127.0.0.1`,
                    "-keyout",
                    "/dev/stdout",
                    "-out",
                    "/dev/stdout",
                ]),
                triggers: [args.hostName, days],
                logging: "none",
            },
            { parent: this, additionalSecretOutputs: ["stdout", "stderr"] },
        );
        const pem = (label: string) =>
            generate.stdout.apply((text) => {
                const match = text.match(new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`));
                if (!match) {
                    throw new Error(`openssl printed no ${label.toLowerCase()}`);
                }
                return `${match[0]}\n`;
            });
        this.certificatePem = pulumi.unsecret(pem("CERTIFICATE"));
        this.privateKeyPem = pulumi.secret(pem("PRIVATE KEY"));
        this.registerOutputs({ certificatePem: this.certificatePem });
    }
}

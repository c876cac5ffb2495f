import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { dockerEnvs } from "./environment";
import {
    DEFAULT_HEALTH_TIMING,
    HealthTiming,
    ResourceLimits,
    containerLabels,
    hardenedContainerArgs,
    healthcheck,
} from "./hardening";
import { ImageSource, engineImage } from "./image";
import { LABELS } from "../rules/labels";
import { nginxFactsLabel } from "../rules/nginxHeaderFacts";
import { serializeNginxConfig } from "../rules/nginxTree";
import { ONE_YEAR_SECONDS } from "../rules/securityHeaders";
import { NGINX_HEALTH_PATH, ProxyRoute, nginxConfigTree } from "./nginxConfig";

/**
 * Official nginx 1.27 pinned by digest. The digest is taken from public pins of this tag; this machine reaches
 * no registry to re-check it.
 */
export const DEFAULT_NGINX_IMAGE =
    "nginx:1.27-alpine@sha256:65645c7bb6a0661892a8b03b89d0743208a18dd2f3f17a54ef4b76fb8e2f2a10";

/** Ports nginx listens on inside the container; above 1024 so it needs no capability and runs as non-root. */
const HTTP_PORT = 8080;
export const NGINX_HTTPS_PORT = 8443;

export interface NginxArgs {
    /** Networks nginx joins: the private one to reach the app, and one with outside access to publish ports. */
    readonly networks: readonly pulumi.Input<string>[];
    /** Public host names. */
    readonly serverNames: readonly string[];
    /** Paths proxied to services on the private network (e.g. /api/ and /admin/ to the backend, /ws/ upgraded). */
    readonly routes: readonly ProxyRoute[];
    /** PEM certificate chain. */
    readonly certificatePem: pulumi.Input<string>;
    /** PEM private key; pass a secret. */
    readonly privateKeyPem: pulumi.Input<string>;
    /** Image to run. Default: DEFAULT_NGINX_IMAGE (official nginx, pinned by digest). */
    readonly image?: ImageSource;
    /** User nginx runs as. Default: "nginx" (uid 101 in the official image). */
    readonly user?: string;
    /** Host address the ports are published on. Default: "0.0.0.0" (this is the public entry point). */
    readonly publishAddress?: string;
    /** Host port for HTTP (redirects to HTTPS). Default: 80. */
    readonly httpHostPort?: number;
    /** Host port for HTTPS. Default: 443. */
    readonly httpsHostPort?: number;
    /** Directory inside the image with a single-page app served at `/`. Default: `/` goes to the first route. */
    readonly rootDirectory?: string;
    /** Volume of collected static files, served at /static/. Default: none. */
    readonly staticVolume?: pulumi.Input<string>;
    /** Volume of uploaded media, served at /media/. Default: none. */
    readonly mediaVolume?: pulumi.Input<string>;
    /** HSTS max-age in seconds. Default: ONE_YEAR_SECONDS. */
    readonly hstsMaxAgeSeconds?: number;
    /** Largest request body in MiB. Default: 20. */
    readonly clientMaxBodySizeMb?: number;
    /** Requests per second per client on proxied routes. Default: 20, burst 40. */
    readonly rateLimitPerSecond?: number;
    /** Memory and CPU ceilings. Default: 256 MiB, 0.5 CPU. */
    readonly limits?: ResourceLimits;
    /** Healthcheck timing. Default: DEFAULT_HEALTH_TIMING. */
    readonly healthTiming?: HealthTiming;
}

/** The only container that publishes host ports: TLS termination and routing in front of the application. */
export class Nginx extends pulumi.ComponentResource {
    /** The generated nginx.conf. */
    public readonly configText: string;
    public readonly container: docker.Container;
    public readonly httpsHostPort: number;

    constructor(name: string, args: NginxArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webplatform:index:Nginx", name, {}, opts);
        const httpsHostPort = args.httpsHostPort ?? 443;
        const httpHostPort = args.httpHostPort ?? 80;
        const publishAddress = args.publishAddress ?? "0.0.0.0";
        const limits = args.limits ?? { memoryMb: 256, cpus: "0.5" };
        const childOpts: pulumi.CustomResourceOptions = { parent: this };

        const tree = nginxConfigTree({
            serverNames: args.serverNames,
            httpPort: HTTP_PORT,
            httpsPort: NGINX_HTTPS_PORT,
            publicHttpsPort: httpsHostPort,
            certificatePath: "/tmp/tls/certificate.pem",
            keyPath: "/tmp/tls/private-key.pem",
            routes: args.routes,
            rootDirectory: args.rootDirectory,
            staticDirectory: args.staticVolume ? "/srv/static" : undefined,
            mediaDirectory: args.mediaVolume ? "/srv/media" : undefined,
            hstsMaxAgeSeconds: args.hstsMaxAgeSeconds ?? ONE_YEAR_SECONDS,
            clientMaxBodySizeMb: args.clientMaxBodySizeMb ?? 20,
            rateLimitPerSecond: args.rateLimitPerSecond ?? 20,
            rateLimitBurst: 2 * (args.rateLimitPerSecond ?? 20),
        });
        this.configText = serializeNginxConfig(tree);
        const image = engineImage(`${name}-image`, args.image ?? { reference: DEFAULT_NGINX_IMAGE }, childOpts);

        const volumes: docker.types.input.ContainerVolume[] = [];
        if (args.staticVolume) {
            volumes.push({ volumeName: args.staticVolume, containerPath: "/srv/static", readOnly: true });
        }
        if (args.mediaVolume) {
            volumes.push({ volumeName: args.mediaVolume, containerPath: "/srv/media", readOnly: true });
        }

        // Config and certificate arrive in the environment and are written to tmpfs at start, so the root
        // filesystem stays read-only and nothing is uploaded into the image.
        const startup = [
            "mkdir -p /tmp/tls",
            `printf '%s\\n' "$NGINX_CONFIG" > /tmp/nginx.conf`,
            `printf '%s\\n' "$TLS_CERTIFICATE" > /tmp/tls/certificate.pem`,
            `(umask 077 && printf '%s\\n' "$TLS_PRIVATE_KEY" > /tmp/tls/private-key.pem)`,
            "unset TLS_PRIVATE_KEY",
            "exec nginx -c /tmp/nginx.conf -g 'daemon off;'",
        ].join(" && ");

        this.container = new docker.Container(
            `${name}-server`,
            {
                name,
                image: image.imageId,
                user: args.user ?? "nginx",
                command: ["sh", "-c", startup],
                envs: dockerEnvs({
                    plain: { NGINX_CONFIG: this.configText },
                    secret: {
                        TLS_CERTIFICATE: args.certificatePem,
                        TLS_PRIVATE_KEY: pulumi.secret(args.privateKeyPem),
                    },
                }),
                // The pack checks the headers from these facts (no secret in them) instead of parsing the text.
                labels: containerLabels(name, "proxy", { [LABELS.nginxHeaderFacts]: nginxFactsLabel(tree) }),
                readOnly: true,
                tmpfs: { "/tmp": "rw,size=64m", "/var/cache/nginx": "rw,size=64m", "/var/run": "rw,size=1m" },
                volumes,
                networksAdvanced: args.networks.map((network) => ({ name: network })),
                ports: [
                    { internal: HTTP_PORT, external: httpHostPort, ip: publishAddress, protocol: "tcp" },
                    { internal: NGINX_HTTPS_PORT, external: httpsHostPort, ip: publishAddress, protocol: "tcp" },
                ],
                healthcheck: healthcheck(
                    [
                        "CMD-SHELL",
                        `wget -q -O /dev/null --no-check-certificate https://127.0.0.1:${NGINX_HTTPS_PORT}${NGINX_HEALTH_PATH} || exit 1`,
                    ],
                    args.healthTiming ?? DEFAULT_HEALTH_TIMING,
                ),
                wait: true,
                waitTimeout: 120,
                ...hardenedContainerArgs({ limits }),
            },
            // Children do not inherit a component's dependsOn, so the container takes it over explicitly.
            { ...childOpts, dependsOn: opts?.dependsOn },
        );
        this.httpsHostPort = httpsHostPort;
        this.registerOutputs({ httpsHostPort });
    }
}

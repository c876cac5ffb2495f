import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { dockerEnvs } from "./environment";
import { DEFAULT_HEALTH_TIMING, HealthTiming, containerLabels, hardenedContainerArgs, healthcheck } from "./hardening";
import { engineImage } from "./image";
import { LABELS } from "../rules/labels";
import { nginxFactsLabel } from "../rules/nginxHeaderFacts";
import { HeaderList, hstsPreloadProblems, securityHeaders, uploadHeaders } from "../rules/securityHeaders";
import { serializeNginxConfig } from "../rules/nginxTree";
import { NGINX_HEALTH_PATH, ProxyRoute, nginxConfigTree } from "./nginxConfig";
import { NginxSettings, nginxSettingsSchema } from "./schemas/nginx";
import { parseSettings } from "./schemas/settings";
import { shellQuote } from "./shell";
import { TLS_KEY_DIRECTORY, TLS_KEY_FILE, TlsKeyFile } from "./tlsKeyFile";

export { DEFAULT_NGINX_IMAGE } from "./schemas/nginx";

/** Ports nginx listens on inside the container; above 1024 so it needs no capability and runs as non-root. */
const HTTP_PORT = 8080;
export const NGINX_HTTPS_PORT = 8443;

/** An NginxSettings (components/schemas/nginx.ts) and what it serves. */
export interface NginxArgs extends NginxSettings {
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
    /** Volume of collected static files, served at /static/. Default: none. */
    readonly staticVolume?: pulumi.Input<string>;
    /** Volume of uploaded media, served at /media/. Default: none. */
    readonly mediaVolume?: pulumi.Input<string>;
    /** Healthcheck timing. Default: DEFAULT_HEALTH_TIMING. */
    readonly healthTiming?: HealthTiming;
}

/** The caller's dependsOn as a list, so a child can wait for it and for more. */
function callerDependsOn(opts: pulumi.ComponentResourceOptions | undefined): pulumi.Input<pulumi.Resource>[] {
    const after = opts?.dependsOn;
    if (after === undefined) {
        return [];
    }
    return Array.isArray(after) ? after : [after as pulumi.Input<pulumi.Resource>];
}

/** The only container that publishes host ports: TLS termination and routing in front of the application. */
export class Nginx extends pulumi.ComponentResource {
    /** The exact headers of every HTTPS response. */
    public readonly securityHeaders: HeaderList;
    /** The exact headers of user uploads; undefined when nginx serves none. */
    public readonly uploadHeaders: HeaderList | undefined;
    /** The generated nginx.conf. */
    public readonly configText: string;
    public readonly container: docker.Container;
    /** The TLS private key as a file in a volume, written on stdin by a one-shot step. */
    public readonly tlsKey: TlsKeyFile;
    public readonly httpsHostPort: number;
    /** Names of its container on the engine, for summaries. */
    public readonly containerNames: readonly string[];
    public readonly volumeNames: readonly string[];

    constructor(name: string, args: NginxArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webplatform:index:Nginx", name, {}, opts);
        const settings = parseSettings(name, nginxSettingsSchema, args);
        const preloadProblems = settings.hstsPreload ? hstsPreloadProblems(settings.hstsMaxAgeSeconds) : [];
        if (preloadProblems.length > 0) {
            throw new Error(`${name}: hstsPreload ${preloadProblems.join("; ")}; raise hstsMaxAgeSeconds.`);
        }
        const { httpPort: httpHostPort, httpsPort: httpsHostPort, publishAddress, limits } = settings;
        const childOpts: pulumi.CustomResourceOptions = { parent: this };

        const headerSettings = {
            hstsMaxAgeSeconds: settings.hstsMaxAgeSeconds,
            hstsPreload: settings.hstsPreload,
            contentSecurityPolicy: settings.contentSecurityPolicy,
        };
        this.securityHeaders = securityHeaders(headerSettings);
        this.uploadHeaders = args.mediaVolume ? uploadHeaders(headerSettings) : undefined;
        const tree = nginxConfigTree({
            serverNames: args.serverNames,
            httpPort: HTTP_PORT,
            httpsPort: NGINX_HTTPS_PORT,
            publicHttpsPort: httpsHostPort,
            certificatePath: "/tmp/tls/certificate.pem",
            keyPath: TLS_KEY_FILE,
            routes: args.routes,
            rootDirectory: settings.rootDirectory,
            staticDirectory: args.staticVolume ? "/srv/static" : undefined,
            mediaDirectory: args.mediaVolume ? "/srv/media" : undefined,
            headers: headerSettings,
            clientMaxBodySizeMb: settings.clientMaxBodySizeMb,
            rateLimitPerSecond: settings.rateLimitPerSecond,
            rateLimitBurst: 2 * settings.rateLimitPerSecond,
        });
        this.configText = serializeNginxConfig(tree);
        const image = engineImage(`${name}-image`, settings.image, childOpts);

        this.tlsKey = new TlsKeyFile(
            `${name}-tls-key`,
            { image: image.imageId, user: settings.user, privateKeyPem: args.privateKeyPem },
            childOpts,
        );
        const volumes: docker.types.input.ContainerVolume[] = [
            { volumeName: this.tlsKey.volume.name, containerPath: TLS_KEY_DIRECTORY, readOnly: true },
        ];
        if (args.staticVolume) {
            volumes.push({ volumeName: args.staticVolume, containerPath: "/srv/static", readOnly: true });
        }
        if (args.mediaVolume) {
            volumes.push({ volumeName: args.mediaVolume, containerPath: "/srv/media", readOnly: true });
        }

        // Config and certificate (public) arrive in the environment and are written to tmpfs at start, so the root
        // filesystem stays read-only and nothing is uploaded into the image; the private key is a file on its
        // read-only volume, because `docker inspect` shows every environment value, secret or not.
        const startup = [
            "mkdir -p /tmp/tls",
            `printf '%s\\n' "$NGINX_CONFIG" > /tmp/nginx.conf`,
            `printf '%s\\n' "$TLS_CERTIFICATE" > /tmp/tls/certificate.pem`,
            "exec nginx -c /tmp/nginx.conf -g 'daemon off;'",
        ].join(" && ");

        this.container = new docker.Container(
            `${name}-server`,
            {
                name,
                image: image.imageId,
                user: settings.user,
                command: ["sh", "-c", startup],
                envs: dockerEnvs({
                    plain: { NGINX_CONFIG: this.configText },
                    secret: { TLS_CERTIFICATE: args.certificatePem },
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
                        // With the site's Host: any other name is refused by the default server.
                        `wget -q -O /dev/null --no-check-certificate --header=${shellQuote(`Host: ${args.serverNames[0]}`)} https://127.0.0.1:${NGINX_HTTPS_PORT}${NGINX_HEALTH_PATH} || exit 1`,
                    ],
                    args.healthTiming ?? DEFAULT_HEALTH_TIMING,
                ),
                wait: true,
                waitTimeout: 120,
                ...hardenedContainerArgs({ limits }),
            },
            // Children do not inherit a component's dependsOn, so the container takes it over explicitly; a new key
            // (a replaced writer) replaces nginx, which reads its key only at start.
            {
                ...childOpts,
                dependsOn: [this.tlsKey.writer, ...callerDependsOn(opts)],
                replaceWith: [this.tlsKey.writer.run],
            },
        );
        this.httpsHostPort = httpsHostPort;
        this.containerNames = [name];
        this.volumeNames = [`${name}-tls-key`];
        this.registerOutputs({ httpsHostPort });
    }
}

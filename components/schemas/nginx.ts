import { z } from "zod";
import {
    DEFAULT_CONTENT_SECURITY_POLICY,
    TWO_YEARS_SECONDS,
    contentSecurityPolicyProblems,
} from "../../rules/securityHeaders";
import { absolutePath, port } from "./fields";
import { imageSource } from "./image";
import { resourceLimits } from "./limits";

/**
 * Official nginx 1.27 pinned by digest. The digest is taken from public pins of this tag; this machine reaches
 * no registry to re-check it.
 */
export const DEFAULT_NGINX_IMAGE =
    "nginx:1.27-alpine@sha256:65645c7bb6a0661892a8b03b89d0743208a18dd2f3f17a54ef4b76fb8e2f2a10";

/** What a stack decides about its reverse proxy; each default is given here and nowhere else. */
export const nginxSettingsSchema = z.strictObject({
    /** Image to run. Default: DEFAULT_NGINX_IMAGE (official nginx, pinned by digest). */
    image: imageSource.default({ reference: DEFAULT_NGINX_IMAGE }),
    /** User nginx runs as. Default: "nginx" (uid 101 in the official image). */
    user: z.string().min(1).default("nginx"),
    /** Host address the ports are published on. Default: "0.0.0.0" (this is the public entry point). */
    publishAddress: z.union([z.ipv4(), z.ipv6()]).default("0.0.0.0"),
    /** Host port for HTTP (redirects to HTTPS). Default: 80. */
    httpPort: port.default(80),
    /** Host port for HTTPS. Default: 443. */
    httpsPort: port.default(443),
    /** Directory inside the image with a single-page app served at `/`. Default: `/` goes to the first route. */
    rootDirectory: absolutePath.optional(),
    /** HSTS max-age in seconds. Default: TWO_YEARS_SECONDS. */
    hstsMaxAgeSeconds: z.number().int().min(0).default(TWO_YEARS_SECONDS),
    /**
     * Add `preload` to HSTS, asking browsers' preload lists to include the domain and all its subdomains (hard to
     * undo; needs a max-age of at least a year). Default: false.
     */
    hstsPreload: z.boolean().default(false),
    /** Content-Security-Policy of every page; must set default-src. Default: DEFAULT_CONTENT_SECURITY_POLICY. */
    contentSecurityPolicy: z
        .string()
        .superRefine((policy, context) => {
            for (const problem of contentSecurityPolicyProblems(policy)) {
                context.addIssue({
                    code: "custom",
                    message: problem.replace(/^Content-Security-Policy /, ""),
                    params: {
                        fix: `give default-src and script-src only the sources the pages need (for example 'self'), on one line, or remove the key for the default: ${DEFAULT_CONTENT_SECURITY_POLICY}.`,
                    },
                });
            }
        })
        .default(DEFAULT_CONTENT_SECURITY_POLICY),
    /** Largest request body in MiB. Default: 20. */
    clientMaxBodySizeMb: z.number().int().min(1).max(1024).default(20),
    /** Requests per second per client on proxied routes (burst: twice as many). Default: 20. */
    rateLimitPerSecond: z.number().int().min(1).default(20),
    /** Memory and CPU ceilings. Default: 256 MiB, 0.5 CPU. */
    limits: resourceLimits({ memoryMb: 256, cpus: "0.5" }),
});

export type NginxSettings = z.input<typeof nginxSettingsSchema>;

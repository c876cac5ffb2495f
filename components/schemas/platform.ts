import { z } from "zod";
import { applicationSettingsShape } from "./application";
import { backendSettingsSchema } from "./backend";
import { backupSettingsSchema } from "./backup";
import { dockerTargetSettingsShape } from "./dockerTarget";
import { envName, textInput } from "./fields";
import { imageSource } from "./image";
import { nginxSettingsSchema } from "./nginx";
import { postgresSettingsSchema } from "./postgres";
import { redisSettingsSchema } from "./redis";
import { websocketProbeSchema } from "./websocketProbe";
import { workerGroupSettingsSchema } from "./workerGroup";

/**
 * The arguments of a Platform, composed of its children's settings: the one declaration of a stack's shape.
 * PlatformArgs is this schema's input type; stack config (config/schema.ts) is this schema spelled as config keys.
 */

export type DeploymentEnvironment = "production" | "staging" | "development";
export const DEPLOYMENT_ENVIRONMENTS = [
    "production",
    "staging",
    "development",
] as const satisfies readonly DeploymentEnvironment[];
/** Typed by its name, so a type error names DeploymentEnvironment rather than spelling out the union. */
const deploymentEnvironment: z.ZodType<DeploymentEnvironment, DeploymentEnvironment> = z.enum(DEPLOYMENT_ENVIRONMENTS);

export const pemCertificate = z.string().includes("BEGIN CERTIFICATE", { message: "is not a PEM certificate" });
export const pemPrivateKey = z.string().includes("PRIVATE KEY", { message: "is not a PEM private key" });

/** A path nginx proxies to the backend or to a worker group that serves a port. */
export const routeSettingsSchema = z
    .strictObject({
        path: z.string().regex(/^\/([A-Za-z0-9._~-]+\/)*$/, 'must be a path prefix such as "/api/"'),
        /** "backend" or the name of a worker group with a port. */
        service: z.string().min(1),
        /** Pass WebSocket upgrades. Default: false. */
        websocket: z.boolean().optional(),
        /**
         * A message round trip the smoke check makes after every deploy (websocketProbe.ts). Default: none, and a
         * WebSocket route is only checked to answer its upgrade with 101.
         */
        websocketProbe: websocketProbeSchema.optional(),
    })
    .superRefine((route, context) => {
        if (route.websocketProbe === undefined) return;
        if (route.websocket !== true) {
            context.addIssue({
                code: "custom",
                path: ["websocketProbe"],
                message: `is set on the route ${route.path}, which does not pass WebSocket upgrades`,
                params: { fix: "set websocket: true on this route, or remove websocketProbe." },
            });
        }
        const probePath = route.websocketProbe.path;
        if (probePath !== undefined && !probePath.startsWith(route.path)) {
            context.addIssue({
                code: "custom",
                path: ["websocketProbe", "path"],
                message: `"${probePath}" is not under the route's path ${route.path}, so nginx would not send it to ${route.service}`,
                params: {
                    fix: `give a path that starts with ${route.path}, or remove it to probe ${route.path} itself.`,
                },
            });
        }
    });
export type RouteSettings = z.input<typeof routeSettingsSchema>;

/** Routes when a stack gives none. */
export const DEFAULT_ROUTES: readonly z.output<typeof routeSettingsSchema>[] = [
    { path: "/api/", service: "backend" },
    { path: "/admin/", service: "backend" },
];

/** A worker group as the platform runs it: with the backend's image, user and filesystem, plus its own env. */
export const platformWorkerSchema = workerGroupSettingsSchema
    .omit({ user: true, readOnlyRootFilesystem: true })
    .extend({
        /** Extra plain environment for this group only. Default: none. */
        env: z.record(envName, z.string()).default({}),
    });
export type PlatformWorkerSettings = z.input<typeof platformWorkerSchema>;

export const platformSettingsSchema = z.strictObject({
    /** Deployment environment; "production" turns every guard into a hard stop. */
    environment: deploymentEnvironment,
    /** Public host name, e.g. "app.example.com". */
    domain: z
        .string()
        .regex(
            /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/,
            "is not a host name",
        ),
    ...dockerTargetSettingsShape,
    /** MTU of the platform's networks (1450 on many cloud networks). Default: Docker's (1500). */
    networkMtu: z.number().int().min(576).max(9000).optional(),
    /**
     * Changing this value generates every secret anew (database and cache passwords, SECRET_KEY and the other
     * generated secrets): rotation in one `pulumi up`. Default: no rotation.
     */
    secretsRotation: z.string().min(1).optional(),
    postgres: postgresSettingsSchema.prefault({}),
    /** Scheduled pg_dump backups of the database to a volume destroy keeps (docs/backup-restore.md). Default: none. */
    backup: backupSettingsSchema
        .extend({
            /** Image with pg_dump. Default: the database's own image. */
            image: imageSource.optional(),
        })
        .optional(),
    redis: redisSettingsSchema.prefault({}),
    backend: backendSettingsSchema.extend(applicationSettingsShape),
    /** Background process groups by name. Default: none. */
    workers: z
        .record(z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, "must be a short lower-case name"), platformWorkerSchema)
        .default({}),
    nginx: nginxSettingsSchema
        .omit({ limits: true })
        .extend({
            /** Default: DEFAULT_ROUTES, /api/ and /admin/ to the backend. */
            routes: z
                .array(routeSettingsSchema)
                .min(1)
                .default(() => DEFAULT_ROUTES.map((route) => ({ ...route }))),
            /** PEM certificate chain. Default: a self-signed one (development only). */
            certificatePem: textInput(pemCertificate).optional(),
            /** PEM key; a secret. Required with certificatePem. */
            privateKeyPem: textInput(pemPrivateKey).optional(),
        })
        .prefault({}),
});

/** What a Platform takes: every setting its children take from a stack, defaults left out. */
export type PlatformArgs = z.input<typeof platformSettingsSchema>;
/** PlatformArgs with every default filled in. */
export type PlatformSettings = z.output<typeof platformSettingsSchema>;

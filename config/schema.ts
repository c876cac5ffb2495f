import { z } from "zod";

/** The shape of a stack's `webplatform:*` config. */
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "is not a valid environment variable name");
const command = z.array(z.string().min(1)).min(1, "needs at least one word");
const port = z.number().int().min(1).max(65535);
const memoryMb = z.number().int().min(16);
const cpus = z.string().regex(/^\d+(\.\d+)?$/, 'is not a number of CPUs such as "0.5"');
const absolutePath = z.string().regex(/^\//, "must be an absolute path");
const imageReference = z
    .string()
    .min(1)
    .regex(/^[^\s]+$/, "must not contain spaces");

const limitsFields = { memoryMb: memoryMb.optional(), cpus: cpus.optional() };

const buildSchema = z.strictObject({
    context: z.string().min(1),
    dockerfile: z.string().optional(),
    tag: imageReference,
});

const workerSchema = z.strictObject({
    command,
    healthcheckCommand: command,
    replicas: z.number().int().min(0).max(1000).optional(),
    port: port.optional(),
    env: z.record(envName, z.string()).optional(),
    ...limitsFields,
});

const routeSchema = z.strictObject({
    path: z.string().regex(/^\/([A-Za-z0-9._~-]+\/)*$/, 'must be a path prefix such as "/api/"'),
    service: z.string().min(1),
    websocket: z.boolean().optional(),
});

export const stackConfigSchema = z.strictObject({
    name: z
        .string()
        .regex(/^[a-z][a-z0-9-]{0,20}$/, "must be a short lower-case name")
        .optional(),
    environment: z.enum(["production", "staging", "development"]),
    domain: z
        .string()
        .regex(
            /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/,
            "is not a host name",
        ),
    dockerHost: z
        .string()
        .regex(/^(unix|ssh|tcp):\/\/\S+$/, "must start with unix://, ssh:// or tcp://")
        .optional(),
    dockerSshOptions: z.array(z.string()).optional(),
    networkMtu: z.number().int().min(576).max(9000).optional(),
    secretsRotation: z.string().min(1).optional(),
    postgres: z
        .strictObject({
            image: imageReference.optional(),
            database: z
                .string()
                .regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lower-case SQL identifier")
                .optional(),
            user: z
                .string()
                .regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lower-case SQL identifier")
                .optional(),
            hostPort: port.optional(),
            allowDataDeletion: z.boolean().optional(),
            ...limitsFields,
        })
        .optional(),
    backup: z
        .strictObject({
            intervalSeconds: z.number().int().min(60).optional(),
            keep: z.number().int().min(1).max(1000).optional(),
            image: imageReference.optional(),
            allowDumpDeletion: z.boolean().optional(),
            ...limitsFields,
        })
        .optional(),
    redis: z
        .strictObject({
            image: imageReference.optional(),
            maxMemoryMb: z.number().int().min(16).optional(),
            evictionPolicy: z
                .enum([
                    "noeviction",
                    "allkeys-lru",
                    "volatile-lru",
                    "allkeys-lfu",
                    "volatile-lfu",
                    "allkeys-random",
                    "volatile-random",
                    "volatile-ttl",
                ])
                .optional(),
            hostPort: port.optional(),
            allowDataDeletion: z.boolean().optional(),
            ...limitsFields,
        })
        .optional(),
    backend: z
        .strictObject({
            image: imageReference.optional(),
            build: buildSchema.optional(),
            command: command.optional(),
            port: port.optional(),
            healthPath: z.string().regex(/^\//, "must start with /").optional(),
            smokeCheckPaths: z.array(z.string().regex(/^\//, "must start with /")).optional(),
            healthcheckCommand: command.optional(),
            replicas: z.number().int().min(1).max(100).optional(),
            migrationCommand: command,
            user: z.string().min(1).optional(),
            readOnlyRootFilesystem: z.boolean().optional(),
            env: z.record(envName, z.string()).optional(),
            generatedSecrets: z.record(envName, z.enum(["password", "secretKey", "sessionSecret"])).optional(),
            databaseUrlVariables: z.array(envName).optional(),
            redisUrlVariables: z.record(envName, z.string().regex(/^[a-z][a-z0-9-]*$/)).optional(),
            dataDirectory: absolutePath.optional(),
            staticDirectory: absolutePath.optional(),
            mediaDirectory: absolutePath.optional(),
            ...limitsFields,
        })
        .refine((backend) => (backend.image === undefined) !== (backend.build === undefined), {
            message: "needs exactly one of image (a pinned reference) or build (a Dockerfile context)",
            path: ["image"],
        }),
    workers: z
        .record(z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, "must be a short lower-case name"), workerSchema)
        .optional(),
    nginx: z
        .strictObject({
            image: imageReference.optional(),
            user: z.string().min(1).optional(),
            publishAddress: z.union([z.ipv4(), z.ipv6()]).optional(),
            httpPort: port.optional(),
            httpsPort: port.optional(),
            rootDirectory: absolutePath.optional(),
            routes: z.array(routeSchema).min(1).optional(),
            certificatePem: z
                .string()
                .includes("BEGIN CERTIFICATE", { message: "is not a PEM certificate" })
                .optional(),
            hstsMaxAgeSeconds: z.number().int().min(0).optional(),
            clientMaxBodySizeMb: z.number().int().min(1).max(1024).optional(),
            rateLimitPerSecond: z.number().int().min(1).optional(),
        })
        .optional(),
    secretEnv: z.record(envName, z.string()).optional(),
    tlsPrivateKey: z.string().includes("PRIVATE KEY", { message: "is not a PEM private key" }).optional(),
});

export type StackConfig = z.infer<typeof stackConfigSchema>;

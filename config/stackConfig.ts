import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { formatConnectionUrl } from "../rules/connectionUrl";
import { PlatformArgs } from "../components/platform";
import { GENERATED_SECRET_LENGTHS } from "../components/secrets";
import { Finding, formatFinding } from "../rules/finding";
import { productionFindings } from "./productionChecks";
import { StackConfig, stackConfigSchema } from "./schema";

/** The config namespace of this project: keys read as `webplatform:<key>`. */
export const CONFIG_NAMESPACE = "webplatform";

/** Config keys whose values must be stored encrypted (`pulumi config set --secret`). */
export const SECRET_CONFIG_KEYS = ["secretEnv", "tlsPrivateKey"] as const;

/** Thrown when stack config is unusable; its message lists every problem, one per line. */
export class StackConfigError extends Error {
    constructor(public readonly findings: readonly Finding[]) {
        super(
            `Stack configuration is invalid (${findings.length} problem${findings.length === 1 ? "" : "s"}); nothing was deployed:\n` +
                findings.map((finding) => `  - ${formatFinding(finding)}`).join("\n"),
        );
        this.name = "StackConfigError";
    }
}

export interface StackContext {
    /** Name of the stack being deployed. */
    readonly stack: string;
    /** Fully-qualified config keys stored as secrets, e.g. "webplatform:secretEnv". */
    readonly secretKeys: readonly string[];
}

/** Stack names that must deploy with environment: production. */
const PRODUCTION_STACK_NAMES = new Set(["prod", "production"]);

/** The value at a zod issue's path in the raw config, or undefined when nothing is set there. */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
    return path.reduce<unknown>(
        (value, key) =>
            value !== null && typeof value === "object" ? (value as Record<string, unknown>)[String(key)] : undefined,
        raw,
    );
}

function zodFindings(error: z.ZodError, raw: unknown): Finding[] {
    return error.issues.map((issue) => {
        const path = issue.path.map(String).join(".");
        const key = `${CONFIG_NAMESPACE}:${path}`;
        if (issue.code === "invalid_type" && valueAt(raw, issue.path) === undefined) {
            return {
                key,
                problem: "is required but not set.",
                fix: `set it with \`pulumi config set --path ${path} ...\` (see README).`,
            };
        }
        if (issue.code === "unrecognized_keys") {
            return {
                key: path === "" ? `${CONFIG_NAMESPACE}:${issue.keys.join(", ")}` : `${key}.${issue.keys.join(", ")}`,
                problem: "is not a setting this project knows (a typo?).",
                fix: "remove it or correct its name; the README lists every key.",
            };
        }
        return {
            key,
            problem: `${issue.message}.`,
            fix: "correct the value; the README lists every key and its form.",
        };
    });
}

/**
 * Validates raw stack config (the plain object of `webplatform:*` values) and turns it into PlatformArgs.
 * Every problem is collected, and the function throws StackConfigError before any resource exists.
 * `secretValue` wraps user secrets for the program (pulumi.secret); tests pass the identity.
 */
export function parseStackConfig(
    raw: Readonly<Record<string, unknown>>,
    context: StackContext,
    secretValue: (value: string) => pulumi.Input<string>,
): PlatformArgs {
    const parsed = stackConfigSchema.safeParse(raw);
    if (!parsed.success) {
        throw new StackConfigError(zodFindings(parsed.error, raw));
    }
    const config = parsed.data;
    const findings: Finding[] = [];

    for (const key of SECRET_CONFIG_KEYS) {
        const fullKey = `${CONFIG_NAMESPACE}:${key}`;
        if (config[key] !== undefined && !context.secretKeys.includes(fullKey)) {
            findings.push({
                key: fullKey,
                problem: `is stored in plain text in Pulumi.${context.stack}.yaml.`,
                fix: `remove it and set it again with \`pulumi config set --secret --path ${key}...\`.`,
            });
        }
    }
    if (PRODUCTION_STACK_NAMES.has(context.stack) && config.environment !== "production") {
        findings.push({
            key: `${CONFIG_NAMESPACE}:environment`,
            problem: `is "${config.environment}" on the stack "${context.stack}".`,
            fix: "set environment to production for a production stack.",
        });
    }
    if (config.nginx?.certificatePem !== undefined && config.tlsPrivateKey === undefined) {
        findings.push({
            key: `${CONFIG_NAMESPACE}:tlsPrivateKey`,
            problem: "is not set although nginx.certificatePem is.",
            fix: "set the certificate's key with `pulumi config set --secret tlsPrivateKey < key.pem`.",
        });
    }
    const workerNames = new Set(Object.keys(config.workers ?? {}));
    for (const [index, route] of (config.nginx?.routes ?? []).entries()) {
        const worker = config.workers?.[route.service];
        if (route.service !== "backend" && (!workerNames.has(route.service) || worker?.port === undefined)) {
            findings.push({
                key: `${CONFIG_NAMESPACE}:nginx.routes[${index}].service`,
                problem: `"${route.service}" is neither "backend" nor a worker group with a port.`,
                fix: 'use "backend" or add a port to that worker group.',
            });
        }
    }
    for (const purposeVariable of Object.keys(config.backend.redisUrlVariables ?? {})) {
        if ((config.backend.databaseUrlVariables ?? ["DATABASE_URL"]).includes(purposeVariable)) {
            findings.push({
                key: `${CONFIG_NAMESPACE}:backend.redisUrlVariables.${purposeVariable}`,
                problem: "also receives the PostgreSQL URL.",
                fix: "give each variable one source.",
            });
        }
    }
    if (config.environment === "production") {
        findings.push(...productionFindings(config, projectedEnvironment(config)));
    }
    if (findings.length > 0) {
        throw new StackConfigError(findings);
    }
    return toPlatformArgs(config, secretValue);
}

/**
 * The environment the application will see, with generated values stood in by values of the same form: the
 * real ones come from the same generators, so checking these checks them.
 */
export function projectedEnvironment(config: StackConfig): Record<string, string> {
    const backend = config.backend;
    const env: Record<string, string> = {
        ENVIRONMENT: config.environment,
        ...(backend.env ?? {}),
        ...(config.secretEnv ?? {}),
    };
    if (backend.dataDirectory) {
        env.DATA_DIR = backend.dataDirectory;
    }
    const generated: Record<string, keyof typeof GENERATED_SECRET_LENGTHS> = backend.generatedSecrets ?? {
        SECRET_KEY: "secretKey",
    };
    for (const [variable, kind] of Object.entries(generated)) {
        env[variable] = sampleSecret(GENERATED_SECRET_LENGTHS[kind]);
    }
    const password = sampleSecret(GENERATED_SECRET_LENGTHS.password);
    for (const variable of backend.databaseUrlVariables ?? ["DATABASE_URL"]) {
        env[variable] = formatConnectionUrl({
            scheme: "postgresql",
            username: config.postgres?.user ?? "app",
            password,
            host: "platform-postgres",
            port: 5432,
            database: config.postgres?.database ?? "app",
        });
    }
    for (const variable of Object.keys(backend.redisUrlVariables ?? { REDIS_URL: "cache" })) {
        env[variable] = formatConnectionUrl({
            scheme: "redis",
            username: "",
            password,
            host: "platform-redis",
            port: 6379,
            database: "0",
        });
    }
    return env;
}

/** A value shaped like a generated secret (same alphabet and length), never used as a real secret. */
function sampleSecret(length: number): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    return Array.from({ length }, (_, index) => alphabet[(index * 7) % alphabet.length]).join("");
}

function limits(
    settings: { memoryMb?: number; cpus?: string } | undefined,
    fallback: { memoryMb: number; cpus: string },
) {
    if (settings?.memoryMb === undefined && settings?.cpus === undefined) {
        return undefined;
    }
    return { memoryMb: settings.memoryMb ?? fallback.memoryMb, cpus: settings.cpus ?? fallback.cpus };
}

function toPlatformArgs(config: StackConfig, secretValue: (value: string) => pulumi.Input<string>): PlatformArgs {
    const backend = config.backend;
    const secretEnv = Object.fromEntries(
        Object.entries(config.secretEnv ?? {}).map(([key, value]) => [key, secretValue(value)]),
    );
    return {
        environment: config.environment,
        domain: config.domain,
        dockerHost: config.dockerHost,
        dockerSshOptions: config.dockerSshOptions,
        networkMtu: config.networkMtu,
        secretsRotation: config.secretsRotation,
        postgres: config.postgres && {
            image: config.postgres.image ? { reference: config.postgres.image } : undefined,
            database: config.postgres.database,
            user: config.postgres.user,
            hostPort: config.postgres.hostPort,
            allowDataDeletion: config.postgres.allowDataDeletion,
            limits: limits(config.postgres, { memoryMb: 1024, cpus: "1" }),
        },
        backup: config.backup && {
            intervalSeconds: config.backup.intervalSeconds,
            keep: config.backup.keep,
            image: config.backup.image ? { reference: config.backup.image } : undefined,
            allowDumpDeletion: config.backup.allowDumpDeletion,
            limits: limits(config.backup, { memoryMb: 256, cpus: "0.5" }),
        },
        redis: config.redis && {
            image: config.redis.image ? { reference: config.redis.image } : undefined,
            maxMemoryMb: config.redis.maxMemoryMb,
            evictionPolicy: config.redis.evictionPolicy,
            hostPort: config.redis.hostPort,
            allowDataDeletion: config.redis.allowDataDeletion,
            limits: limits(config.redis, { memoryMb: 384, cpus: "0.5" }),
        },
        backend: {
            image: backend.build ? { build: backend.build } : { reference: backend.image! },
            command: backend.command,
            port: backend.port,
            healthPath: backend.healthPath,
            smokeCheckPaths: backend.smokeCheckPaths,
            healthcheckCommand: backend.healthcheckCommand,
            replicas: backend.replicas,
            migrationCommand: backend.migrationCommand,
            user: backend.user,
            readOnlyRootFilesystem: backend.readOnlyRootFilesystem,
            limits: limits(backend, { memoryMb: 1024, cpus: "1" }),
            env: backend.env,
            secretEnv,
            generatedSecrets: backend.generatedSecrets,
            databaseUrlVariables: backend.databaseUrlVariables,
            redisUrlVariables: backend.redisUrlVariables,
            dataDirectory: backend.dataDirectory,
            staticDirectory: backend.staticDirectory,
            mediaDirectory: backend.mediaDirectory,
        },
        workers: config.workers
            ? Object.fromEntries(
                  Object.entries(config.workers).map(([name, worker]) => [
                      name,
                      {
                          command: worker.command,
                          healthcheckCommand: worker.healthcheckCommand,
                          replicas: worker.replicas,
                          port: worker.port,
                          env: worker.env,
                          limits: limits(worker, { memoryMb: 512, cpus: "0.5" }),
                      },
                  ]),
              )
            : undefined,
        nginx: config.nginx && {
            image: config.nginx.image ? { reference: config.nginx.image } : undefined,
            user: config.nginx.user,
            publishAddress: config.nginx.publishAddress,
            httpPort: config.nginx.httpPort,
            httpsPort: config.nginx.httpsPort,
            rootDirectory: config.nginx.rootDirectory,
            routes: config.nginx.routes,
            certificatePem: config.nginx.certificatePem,
            privateKeyPem: config.tlsPrivateKey === undefined ? undefined : secretValue(config.tlsPrivateKey),
            hstsMaxAgeSeconds: config.nginx.hstsMaxAgeSeconds,
            clientMaxBodySizeMb: config.nginx.clientMaxBodySizeMb,
            rateLimitPerSecond: config.nginx.rateLimitPerSecond,
        },
    };
}

import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { PlatformArgs } from "../components/schemas/platform";
import { Finding, formatFinding } from "../rules/finding";
import { hstsPreloadProblems } from "../rules/securityHeaders";
import { platformOverrideFindings } from "./environmentChecks";
import { productionFindings } from "./productionChecks";
import { projectedEnvironment } from "./projectedEnvironment";
import { SECRET_CONFIG_KEYS, StackConfig, stackConfigSchema } from "./schema";

export { SECRET_CONFIG_KEYS } from "./schema";

/** The config namespace of this project: keys read as `webplatform:<key>`. */
export const CONFIG_NAMESPACE = "webplatform";

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

/** A zod issue's path as `pulumi config set --path` spells it: `nginx.routes[2].websocketProbe`. */
function configPath(path: readonly PropertyKey[]): string {
    return path
        .map((key, index) => (typeof key === "number" ? `[${key}]` : `${index === 0 ? "" : "."}${String(key)}`))
        .join("");
}

function zodFindings(error: z.ZodError, raw: unknown): Finding[] {
    return error.issues.map((issue) => {
        const path = configPath(issue.path);
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
        // A schema's own check may name its fix (params.fix); every other issue gets the general one.
        const ownFix = issue.code === "custom" && typeof issue.params?.fix === "string";
        return {
            key,
            problem: `${issue.message}.`,
            fix: ownFix ? String(issue.params!.fix) : "correct the value; the README lists every key and its form.",
        };
    });
}

/** Checks of the stack as a whole, which no single component's schema can make. */
function stackFindings(config: StackConfig, context: StackContext): Finding[] {
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
    if (config.nginx.certificatePem !== undefined && config.tlsPrivateKey === undefined) {
        findings.push({
            key: `${CONFIG_NAMESPACE}:tlsPrivateKey`,
            problem: "is not set although nginx.certificatePem is.",
            fix: "set the certificate's key with `pulumi config set --secret tlsPrivateKey < key.pem`.",
        });
    }
    if (config.nginx.hstsPreload) {
        for (const problem of hstsPreloadProblems(config.nginx.hstsMaxAgeSeconds)) {
            findings.push({
                key: `${CONFIG_NAMESPACE}:nginx.hstsPreload`,
                problem: `is true, but ${problem}.`,
                fix: "raise nginx.hstsMaxAgeSeconds to at least a year (the default is two years) or remove hstsPreload.",
            });
        }
    }
    for (const [index, route] of config.nginx.routes.entries()) {
        const worker = Object.hasOwn(config.workers, route.service) ? config.workers[route.service] : undefined;
        if (route.service !== "backend" && worker?.port === undefined) {
            findings.push({
                key: `${CONFIG_NAMESPACE}:nginx.routes[${index}].service`,
                problem: `"${route.service}" is neither "backend" nor a worker group with a port.`,
                fix: 'use "backend" or add a port to that worker group.',
            });
        }
    }
    for (const purposeVariable of Object.keys(config.backend.redisUrlVariables)) {
        if (config.backend.databaseUrlVariables.includes(purposeVariable)) {
            findings.push({
                key: `${CONFIG_NAMESPACE}:backend.redisUrlVariables.${purposeVariable}`,
                problem: "also receives the PostgreSQL URL.",
                fix: "give each variable one source.",
            });
        }
    }
    findings.push(...platformOverrideFindings(config));
    if (config.environment === "production") {
        findings.push(...productionFindings(config, projectedEnvironment(config)));
    }
    return findings;
}

/**
 * Validates raw stack config (the plain object of `webplatform:*` values) and turns it into PlatformArgs: parse
 * with the platform schema, then the checks of the stack as a whole. Every problem is collected, and the function
 * throws StackConfigError before any resource exists. `secretValue` wraps user secrets for the program
 * (pulumi.secret); tests pass the identity.
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
    const findings = stackFindings(parsed.data, context);
    if (findings.length > 0) {
        throw new StackConfigError(findings);
    }
    return platformArgs(parsed.data, secretValue);
}

/** The resolved settings, with the stack's secrets put where the platform takes them, as Pulumi secrets. */
function platformArgs(config: StackConfig, secretValue: (value: string) => pulumi.Input<string>): PlatformArgs {
    const { secretEnv, tlsPrivateKey, ...settings } = config;
    delete settings.name;
    return {
        ...settings,
        backend: {
            ...settings.backend,
            secretEnv: Object.fromEntries(
                Object.entries(secretEnv ?? {}).map(([variable, value]) => [variable, secretValue(value)]),
            ),
        },
        nginx: {
            ...settings.nginx,
            privateKeyPem: tlsPrivateKey === undefined ? undefined : secretValue(tlsPrivateKey),
        },
    };
}

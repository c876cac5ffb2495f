import * as pulumi from "@pulumi/pulumi";
import { Platform, checkDockerHostSync } from "./components";
import { CONFIG_NAMESPACE, StackConfigError, parseStackConfig } from "./config/stackConfig";

/**
 * The stack program: reads `webplatform:*` config (the only place that does), validates it, and deploys one
 * Platform. Invalid config stops here with every problem listed, before any resource is registered.
 */
function readStackConfig(): Record<string, unknown> {
    const prefix = `${CONFIG_NAMESPACE}:`;
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (!key.startsWith(prefix)) {
            continue;
        }
        // Objects, lists, numbers and booleans arrive as JSON text; plain strings do not parse and stay text.
        try {
            raw[key.slice(prefix.length)] = JSON.parse(value);
        } catch {
            raw[key.slice(prefix.length)] = value;
        }
    }
    return raw;
}

/** Config keys the engine holds as secrets; the language host passes them to the program in this variable. */
function secretConfigKeys(): string[] {
    const text = process.env.PULUMI_CONFIG_SECRET_KEYS;
    return text ? (JSON.parse(text) as string[]) : [];
}

const stack = pulumi.getStack();
const raw = readStackConfig();

let platformArgs;
try {
    platformArgs = parseStackConfig(raw, { stack, secretKeys: secretConfigKeys() }, (value) => pulumi.secret(value));
} catch (error) {
    // RunError prints the message alone, without a stack trace that would bury the list of problems.
    throw error instanceof StackConfigError ? new pulumi.RunError(error.message) : error;
}

// Every preview and up: an unreachable engine, a rejected key or a stopped Docker fails here with the fix, before
// anything is registered (the Docker provider itself fails only during up, once per resource).
if (platformArgs.dockerHost) {
    checkDockerHostSync(platformArgs.dockerHost, platformArgs.dockerSshOptions ?? []);
}

const platform = new Platform(typeof raw.name === "string" ? raw.name : `wp-${stack}`, platformArgs);

export const url = platform.url;
export const summary = platform.summary;
export const migrationLog = platform.backend.migration.log;
export const smokeCheck = platform.smokeCheck.report;

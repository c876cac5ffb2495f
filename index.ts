import * as pulumi from "@pulumi/pulumi";
import { Platform, checkDockerHostSync, withholdSecretsFromDebugLogs } from "./components";
import { readStackConfig } from "./config/readConfig";
import { StackConfigError, parseStackConfig } from "./config/stackConfig";

/**
 * The stack program: reads `webplatform:*` config (the only place that does), validates it, and deploys one
 * Platform. Invalid config stops here with every problem listed, before any resource is registered.
 */
withholdSecretsFromDebugLogs();
const stack = pulumi.getStack();
const config = readStackConfig();

let platformArgs;
try {
    platformArgs = parseStackConfig(config.values, { stack, secretKeys: config.secretKeys }, (value) =>
        pulumi.secret(value),
    );
} catch (error) {
    // RunError prints the message alone, without a stack trace that would bury the list of problems.
    throw error instanceof StackConfigError ? new pulumi.RunError(error.message) : error;
}

// Every preview and up: an unreachable engine, a rejected key or a stopped Docker fails here with the fix, before
// anything is registered (the Docker provider itself fails only during up, once per resource).
if (platformArgs.dockerHost) {
    checkDockerHostSync(platformArgs.dockerHost, platformArgs.dockerSshOptions ?? []);
}

const platform = new Platform(
    typeof config.values.name === "string" ? config.values.name : `wp-${stack}`,
    platformArgs,
);

export const url = platform.url;
export const summary = platform.summary;
export const migrationLog = platform.backend.migration.log;
export const smokeCheck = platform.smokeCheck.report;

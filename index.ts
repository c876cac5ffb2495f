import * as pulumi from "@pulumi/pulumi";
import { Platform, checkDockerHostSync, checkSwarmSync, withholdSecretsFromDebugLogs } from "./components";
import { deployTargetOf, swarmSettingsOf } from "./components/schemas/swarm";
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

if (deployTargetOf(platformArgs) === "swarm") {
    // Every preview and up: the manager, its swarm state, its nodes and the labels the placement needs, checked
    // before anything is registered; a swarm that cannot take the stack fails here with the fix.
    const summary = checkSwarmSync(
        platformArgs.dockerHost,
        platformArgs.dockerSshOptions ?? [],
        swarmSettingsOf(platformArgs),
    );
    void pulumi.log.info(summary);
    // Phase 1 of issue 11 has the swarm, the preflight and the datastore services (components/swarm); the stack
    // does not deploy a half platform meanwhile.
    throw new pulumi.RunError(
        `webplatform:target: "swarm" is not deployable by this stack yet: PostgreSQL and Redis have swarm services (components/swarm), but the backend, migrations, workers and nginx do not. Nothing was deployed. Fix: use target: host (the default) for now.\n  (${summary})`,
    );
}

const platform = new Platform(
    typeof config.values.name === "string" ? config.values.name : `wp-${stack}`,
    platformArgs,
);

export const url = platform.url;
export const summary = platform.summary;
export const migrationLog = platform.backend.migration.log;
export const smokeCheck = platform.smokeCheck.report;

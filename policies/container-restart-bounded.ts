import { boundedRestart } from "../rules/containerHardening";
import { TYPES, guardConfig, resourceGuard } from "./lib/guard";
import { containerRole } from "./lib/containers";

export interface RestartConfig {
    /** Most restarts allowed before a failure must surface. */
    readonly maxRetries: number;
}

const config = guardConfig<RestartConfig>({
    maxRetries: {
        type: "integer",
        minimum: 1,
        default: 10,
        description: "Largest accepted maxRetryCount for restart: on-failure.",
    },
});

export const containerRestartBounded = resourceGuard<RestartConfig>({
    name: "container-restart-bounded",
    description:
        "Every long-running container must restart on failure a bounded number of times: restart on-failure with maxRetryCount between 1 and 10. With always or unless-stopped a crash loop spins forever and looks like a running service; with no restart a single crash is an outage (docker-bench-security).",
    remediationSteps:
        'Set restart to "on-failure" and maxRetryCount to a small number such as 5 (hardenedContainerArgs does).',
    severity: "low",
    topics: ["availability"],
    checklist: ["CIS-Docker-5.15"],
    resourceTypes: [TYPES.container],
    config,
    check: (resource, settings) =>
        containerRole(resource) === "job" ? [] : boundedRestart(resource.props, settings.maxRetries),
});

import { healthcheckPresent } from "../rules/containerHardening";
import { TYPES, resourceGuard } from "./lib/guard";
import { containerRole } from "./lib/containers";

export const containerHealthcheck = resourceGuard({
    name: "container-healthcheck",
    description:
        "Every long-running container must have a healthcheck that probes it. Without one Docker reports a hung service as running, `wait: true` cannot hold dependents back, and a broken backend keeps receiving traffic.",
    remediationSteps:
        "Add a healthcheck (the components' healthcheck() helper) that fails when the service cannot do its job, e.g. an HTTP probe of the health endpoint, pg_isready or redis-cli ping.",
    severity: "medium",
    topics: ["availability"],
    checklist: ["CIS-Docker-5.27", "Kyverno-require-pod-probes"],
    resourceTypes: [TYPES.container],
    check: (resource) => (containerRole(resource) === "job" ? [] : healthcheckPresent(resource.props)),
});

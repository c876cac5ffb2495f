import { healthcheckProbesSomething } from "../rules/commands/containerSteps";
import { TYPES, resourceGuard } from "./lib/guard";
import { containerRole } from "./lib/containers";

export const containerRealHealthcheck = resourceGuard({
    name: "container-real-healthcheck",
    description:
        "A container's healthcheck must probe the process or its port. One that does nothing (`true`, `exit 0`, `echo ok`, `sh -c ''`) or throws its probe's status away (`curl ... || true`) marks a hung service healthy, and a shell-form (CMD-SHELL) check on an image known to hold no /bin/sh (distroless, chainguard/static) can never pass.",
    remediationSteps:
        'Probe what the service does: an HTTP request to its health endpoint that fails on an error status, pg_isready, redis-cli ping, `celery inspect ping`. On an image without a shell use the exec form ["CMD", "<program>", ...].',
    severity: "medium",
    topics: ["availability"],
    checklist: ["CIS-Docker-5.27", "Kyverno-require-pod-probes"],
    resourceTypes: [TYPES.container],
    check: (resource) => (containerRole(resource) === "job" ? [] : healthcheckProbesSomething(resource.props)),
});

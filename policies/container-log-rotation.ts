import { logRotation } from "../rules/containerHardening";
import { TYPES, resourceGuard } from "./lib/guard";

export const containerLogRotation = resourceGuard({
    name: "container-log-rotation",
    description:
        "Every container's logs must be rotated or shipped off the host: json-file with logOpts max-size, the local driver (which rotates by default), or a remote driver. An unrotated json-file log grows until the host's disk is full and the database stops writing.",
    remediationSteps:
        'Set logDriver "json-file" with logOpts { "max-size": "10m", "max-file": "5" } (hardenedContainerArgs does), or use "local" or a remote driver.',
    severity: "low",
    topics: ["availability"],
    checklist: ["OWASP-Docker-D07"],
    resourceTypes: [TYPES.container],
    check: ({ props }) => logRotation(props),
});

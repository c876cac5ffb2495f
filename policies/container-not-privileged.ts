import { notPrivileged } from "../rules/containerHardening";
import { TYPES, resourceGuard } from "./lib/guard";

export const containerNotPrivileged = resourceGuard({
    name: "container-not-privileged",
    description:
        "No container may run privileged. A privileged container has every capability and every host device, which is root on the host (docker-bench-security).",
    remediationSteps: "Set privileged to false and add back only the specific capabilities the process needs.",
    severity: "critical",
    topics: ["container"],
    checklist: ["CIS-Docker-5.5", "OWASP-Docker-D04", "Kyverno-disallow-privileged-containers"],
    resourceTypes: [TYPES.container],
    check: ({ props }) => notPrivileged(props),
});

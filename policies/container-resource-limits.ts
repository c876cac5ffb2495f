import { resourceLimits } from "../rules/containerHardening";
import { TYPES, resourceGuard } from "./lib/guard";

export const containerResourceLimits = resourceGuard({
    name: "container-resource-limits",
    description:
        "Every container must have a memory limit and a CPU limit. Without them one leaking or busy container exhausts the host and takes the database and every other service down with it (docker-bench-security).",
    remediationSteps:
        'Set memory (MiB, with memorySwap equal to it) and cpus (e.g. "0.5") from the service\'s measured needs.',
    severity: "medium",
    topics: ["container", "availability"],
    checklist: ["CIS-Docker-5.11", "OWASP-Docker-D07", "Kyverno-require-pod-requests-limits"],
    resourceTypes: [TYPES.container],
    check: ({ props }) => resourceLimits(props),
});

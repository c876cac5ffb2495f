import { nonRootUser } from "../rules/containerHardening";
import { TYPES, resourceGuard } from "./lib/guard";

export const containerNonRootUser = resourceGuard({
    name: "container-non-root-user",
    description:
        "Every container must run as a non-root user: user set, and not root or UID 0. A process running as root turns any code execution bug into control of the container and a step from the host (docker-bench-security).",
    remediationSteps:
        'Set user to the image\'s service account (postgres, redis, nginx) or a fixed high UID such as "10001:10001", and make the paths it writes owned by that user.',
    severity: "high",
    topics: ["container"],
    checklist: ["CIS-Docker-4.1", "OWASP-Docker-D01", "Kyverno-require-run-as-nonroot"],
    resourceTypes: [TYPES.container],
    check: ({ props }) => nonRootUser(props),
});

import { noNewPrivileges } from "../rules/containerHardening";
import { TYPES, resourceGuard } from "./lib/guard";

export const containerNoNewPrivileges = resourceGuard({
    name: "container-no-new-privileges",
    description:
        "Every container must set no-new-privileges in securityOpts. Without it a setuid binary inside the image can raise the process's privileges (docker-bench-security).",
    remediationSteps: 'Add "no-new-privileges:true" to securityOpts (hardenedContainerArgs does).',
    severity: "medium",
    topics: ["container"],
    checklist: ["CIS-Docker-5.26", "OWASP-Docker-D04", "Kyverno-disallow-privilege-escalation"],
    resourceTypes: [TYPES.container],
    check: ({ props }) => noNewPrivileges(props),
});

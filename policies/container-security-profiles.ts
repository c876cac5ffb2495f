import { confinedSecurityProfiles } from "../rules/containerHardening";
import { TYPES, resourceGuard } from "./lib/guard";

export const containerSecurityProfiles = resourceGuard({
    name: "container-security-profiles",
    description:
        "No container may turn off the kernel confinement profiles (seccomp=unconfined, apparmor=unconfined, label=disable). Those profiles block the system calls most container escapes use (docker-bench-security).",
    remediationSteps: "Remove the unconfined securityOpts entry so Docker's default profile applies.",
    severity: "high",
    topics: ["container"],
    checklist: [
        "CIS-Docker-5.2",
        "CIS-Docker-5.22",
        "OWASP-Docker-D04",
        "Kyverno-restrict-seccomp",
        "Kyverno-restrict-apparmor-profiles",
    ],
    resourceTypes: [TYPES.container],
    check: ({ props }) => confinedSecurityProfiles(props),
});

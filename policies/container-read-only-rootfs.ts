import { readOnlyRootFilesystem } from "../rules/containerHardening";
import { WRITABLE_ROOTFS_LABEL } from "../rules/containerRole";
import { TYPES, resourceGuard } from "./lib/guard";

export const containerReadOnlyRootfs = resourceGuard({
    name: "container-read-only-rootfs",
    description: `Every container must run with a read-only root filesystem unless it carries the label ${WRITABLE_ROOTFS_LABEL} explaining why it cannot. A writable root lets an intruder or a bug change binaries and configuration, and hides data in the container layer where it is lost on replacement (docker-bench-security).`,
    remediationSteps: `Set readOnly to true and give the process tmpfs or volumes for the paths it writes (/tmp, caches, data); if that is impossible, add the label ${WRITABLE_ROOTFS_LABEL} with the reason.`,
    severity: "medium",
    topics: ["container"],
    checklist: ["CIS-Docker-5.13", "OWASP-Docker-D09", "Kyverno-require-ro-rootfs"],
    resourceTypes: [TYPES.container],
    check: ({ props }) => readOnlyRootFilesystem(props),
});

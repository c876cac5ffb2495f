import { FORBIDDEN_HOST_PATHS, noSensitiveHostMounts } from "../rules/containerHardening";
import { TYPES, guardConfig, resourceGuard } from "./lib/guard";

export interface SensitiveMountsConfig {
    /** Host paths forbidden in addition to FORBIDDEN_HOST_PATHS. */
    readonly additionalForbiddenPaths: readonly string[];
}

const config = guardConfig<SensitiveMountsConfig>({
    additionalForbiddenPaths: {
        type: "array",
        items: { type: "string", pattern: "^/" },
        default: [],
        description:
            "Host paths to forbid in addition to /, /etc, /proc, /sys, /dev, /boot, /root and the Docker socket and data.",
    },
});

export const containerNoSensitiveHostMounts = resourceGuard<SensitiveMountsConfig>({
    name: "container-no-sensitive-host-mounts",
    description:
        "No container may bind-mount the Docker socket or a sensitive host path (/, /etc, /proc, /sys, /dev, /boot, /root, /var/run/docker.sock, /run/docker.sock, /var/lib/docker). The Docker socket is root on the host, and system directories let a container read or change the host (docker-bench-security).",
    remediationSteps:
        "Use named volumes for data; if a tool really needs the Docker API, run it outside the platform or behind an authorising socket proxy.",
    severity: "critical",
    topics: ["container"],
    checklist: ["CIS-Docker-5.6", "CIS-Docker-5.32", "Kyverno-disallow-host-path"],
    resourceTypes: [TYPES.container],
    config,
    check: ({ props }, settings) =>
        noSensitiveHostMounts(props, [...FORBIDDEN_HOST_PATHS, ...settings.additionalForbiddenPaths]),
});

import { DANGEROUS_CAPABILITIES, capabilitiesDropped } from "../rules/containerHardening";
import { TYPES, guardConfig, resourceGuard } from "./lib/guard";

export interface CapabilitiesConfig {
    /** Capabilities that may never be added back. */
    readonly forbiddenAdds: readonly string[];
}

const config = guardConfig<CapabilitiesConfig>({
    forbiddenAdds: {
        type: "array",
        items: { type: "string" },
        default: [...DANGEROUS_CAPABILITIES],
        description: "Capabilities that capabilities.adds may not contain.",
    },
});

export const containerCapabilitiesDropped = resourceGuard<CapabilitiesConfig>({
    name: "container-capabilities-dropped",
    description:
        "Every container must drop ALL capabilities and may add back only harmless ones. Docker's default set includes NET_RAW, SETUID and CHOWN, which a compromised process can use against the host and its neighbours (docker-bench-security).",
    remediationSteps:
        'Set capabilities.drops to ["ALL"] and list in capabilities.adds only what the process needs (ideally nothing: listen above port 1024, own the files it writes).',
    severity: "medium",
    topics: ["container"],
    checklist: ["CIS-Docker-5.4", "OWASP-Docker-D04", "Kyverno-require-drop-all"],
    resourceTypes: [TYPES.container],
    config,
    check: ({ props }, settings) => capabilitiesDropped(props, settings.forbiddenAdds),
});

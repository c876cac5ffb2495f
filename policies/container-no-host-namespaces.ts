import { noHostNamespaces } from "../rules/containerHardening";
import { TYPES, resourceGuard } from "./lib/guard";

export const containerNoHostNamespaces = resourceGuard({
    name: "container-no-host-namespaces",
    description:
        "No container may share the host's network, PID, IPC or user namespace (networkMode, pidMode, ipcMode or usernsMode set to host). Sharing them lets the container reach every host port and process and bypasses Docker's network isolation (docker-bench-security).",
    remediationSteps:
        "Remove the host mode; attach the container to Docker networks with networksAdvanced and publish only the ports it must serve.",
    severity: "high",
    topics: ["container", "network"],
    checklist: [
        "CIS-Docker-5.10",
        "CIS-Docker-5.16",
        "CIS-Docker-5.17",
        "CIS-Docker-5.31",
        "Kyverno-disallow-host-namespaces",
    ],
    resourceTypes: [TYPES.container],
    check: ({ props }) => noHostNamespaces(props),
});

import { DATASTORE_ROLES } from "../rules/containerRole";
import { portsOnLoopbackOnly } from "../rules/containerHardening";
import { TYPES, resourceGuard } from "./lib/guard";
import { containerRole } from "./lib/containers";

const FIX =
    'remove the port and route the service through the edge proxy (nginx), or publish it on "127.0.0.1" only for a local tool.';

export const appPortsThroughProxy = resourceGuard({
    name: "app-ports-through-proxy",
    description:
        "Only the edge proxy may publish a port on a host address other than loopback. An application, worker or job container that publishes one (an unset ip is 0.0.0.0) is reached without TLS and without the proxy's security headers, rate limits and host checks.",
    remediationSteps:
        "Remove the container's ports and add an nginx route to it (webplatform: nginx.routes with a worker port); if a local tool needs the port, publish it on 127.0.0.1.",
    severity: "high",
    topics: ["network", "http"],
    checklist: ["CIS-Docker-5.14", "OWASP-Docker-D03", "Kyverno-disallow-host-ports"],
    resourceTypes: [TYPES.container],
    check: (resource) => {
        const role = containerRole(resource);
        // Datastores have datastore-ports-loopback-only; unknown labels (preview) are read again at update.
        return role === undefined || role === "proxy" || DATASTORE_ROLES.has(role)
            ? []
            : portsOnLoopbackOnly(resource.props, FIX);
    },
});

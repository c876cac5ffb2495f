import { DATASTORE_ROLES } from "../rules/containerRole";
import { portsOnLoopbackOnly } from "../rules/containerHardening";
import { TYPES, resourceGuard } from "./lib/guard";
import { containerRole } from "./lib/containers";

export const datastorePorts = resourceGuard({
    name: "datastore-ports-loopback-only",
    description:
        "Database and cache containers must not publish ports on any host address other than loopback. A published 0.0.0.0:5432 or :6379 puts the database on the internet, where scanners find it within minutes.",
    remediationSteps:
        "Remove the port; the application reaches the database over the private Docker network. If a local tool needs it, publish it on 127.0.0.1 only (hostPort in the Postgres and Redis components).",
    severity: "critical",
    topics: ["data", "network"],
    checklist: ["CIS-Docker-5.14", "OWASP-Docker-D03", "Kyverno-disallow-host-ports"],
    resourceTypes: [TYPES.container],
    check: (resource) => {
        const role = containerRole(resource);
        return role && DATASTORE_ROLES.has(role) ? portsOnLoopbackOnly(resource.props) : [];
    },
});

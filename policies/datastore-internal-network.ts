import { DATASTORE_ROLES } from "../rules/containerRole";
import { Finding } from "../rules/finding";
import { isUnknown, knownArray, knownObject, knownString } from "../rules/unknownValue";
import { StackFinding, StackResource, TYPES, stackGuard } from "./lib/guard";
import { containersOf, stackContainerRole } from "./lib/stackContainers";

const FIX =
    "attach the database or cache only to a docker.Network with internal: true (the Platform's private network) through networksAdvanced; applications join that network too.";

/** Whether a Network resource is internal: true, false, or undefined while unknown. */
function internal(network: StackResource): boolean | undefined {
    const value = network.props.internal;
    return isUnknown(value) ? undefined : value === true;
}

function networkFindings(
    container: StackResource,
    networks: readonly StackResource[],
    key: string,
    name: string,
): Finding[] {
    const byName = networks.filter((network) => knownString(network.props.name) === name);
    // A network passed by ID instead of name: fall back to the Networks the property depends on.
    const candidates =
        byName.length > 0
            ? byName
            : (container.propertyDependencies.networksAdvanced ?? []).filter(
                  (resource) => resource.type === TYPES.network,
              );
    if (candidates.length === 0) {
        return [
            {
                key,
                problem: `attaches to "${name}", which is not a Network of this stack, so it cannot be shown to be internal.`,
                fix: FIX,
            },
        ];
    }
    const states = candidates.map(internal);
    if (states.includes(undefined) || states.every((state) => state === true)) {
        return [];
    }
    return [
        {
            key,
            problem: `attaches to the network "${name}", which is not internal, so the service has a route to the outside world and shares a bridge with containers that face it.`,
            fix: FIX,
        },
    ];
}

function check(resources: readonly StackResource[]): StackFinding[] {
    const networks = resources.filter((resource) => resource.type === TYPES.network);
    const findings: StackFinding[] = [];
    for (const container of containersOf(resources)) {
        const role = stackContainerRole(container, resources);
        if (!role || !DATASTORE_ROLES.has(role)) {
            continue;
        }
        const report = (list: Finding[]) => list.forEach((finding) => findings.push({ resource: container, finding }));
        const mode = container.props.networkMode;
        const attachments = container.props.networksAdvanced;
        if (isUnknown(mode) || isUnknown(attachments)) {
            continue;
        }
        const modeName = knownString(mode)?.toLowerCase();
        if (modeName === "host") {
            report([
                {
                    key: "networkMode",
                    problem: "is host, so the service listens on the host's own interfaces.",
                    fix: FIX,
                },
            ]);
            continue;
        }
        const list = knownArray(attachments) ?? [];
        if (list.length === 0) {
            if (modeName === undefined || modeName === "bridge" || modeName === "default") {
                report([
                    {
                        key: "networksAdvanced",
                        problem:
                            "is empty, so the container sits on Docker's default bridge, which has a route out and is shared with every other container on the host.",
                        fix: FIX,
                    },
                ]);
            } else if (modeName.startsWith("container:")) {
                report([
                    {
                        key: "networkMode",
                        problem: `shares the network of another container (${modeName}), whose networks this policy cannot see.`,
                        fix: FIX,
                    },
                ]);
            } else if (modeName !== "none") {
                report(networkFindings(container, networks, "networkMode", knownString(mode)!));
            }
            continue;
        }
        list.forEach((entry, index) => {
            const name = knownObject(entry)?.name;
            if (isUnknown(entry) || isUnknown(name) || typeof name !== "string") {
                return;
            }
            report(networkFindings(container, networks, `networksAdvanced[${index}].name`, name));
        });
    }
    return findings;
}

export const datastoreInternalNetwork = stackGuard({
    name: "datastore-internal-network",
    description:
        "Database and cache containers must be attached only to Docker networks whose Network resource has internal: true, never to host networking or the default bridge. An internal network has no route out, so a compromised database cannot reach the internet and nothing outside the stack can reach it.",
    remediationSteps:
        "Create the network with internal: true (the Platform's private network) and attach PostgreSQL and Redis only to it; put nginx and the applications on a second, non-internal network for outside access.",
    severity: "high",
    topics: ["data", "network"],
    checklist: ["CIS-Docker-5.30", "OWASP-Docker-D03"],
    check,
});

import { healthcheckTests, probes } from "../rules/containerProps";
import { nameList } from "../rules/stackGraph";
import { isUnknown } from "../rules/unknownValue";
import { StackFinding, StackResource, TYPES, stackGuard } from "./lib/guard";
import { stackContainerRole } from "./lib/stackContainers";

function check(resources: readonly StackResource[]): StackFinding[] {
    // Sets, since a database can have thousands of dependents and each is added once, in the order first seen.
    const dependents = new Map<StackResource, Set<StackResource>>();
    for (const resource of resources) {
        for (const dependency of resource.dependencies) {
            if (dependency.type === TYPES.container && dependency !== resource) {
                const waiting = dependents.get(dependency) ?? new Set<StackResource>();
                waiting.add(resource);
                dependents.set(dependency, waiting);
            }
        }
    }
    const findings: StackFinding[] = [];
    for (const [container, waiting] of dependents) {
        if (stackContainerRole(container, resources) === "job") {
            continue;
        }
        const names = nameList([...waiting].map((resource) => resource.name));
        const tests = healthcheckTests(container.props);
        if (tests !== undefined && !probes(tests)) {
            findings.push({
                resource: container,
                finding: {
                    key: "healthcheck",
                    problem: `is missing although ${names} depend${waiting.size === 1 ? "s" : ""} on this container, so they start while it may still be unable to serve.`,
                    fix: "add a healthcheck that passes only when the service is ready, and set wait: true.",
                },
            });
            continue;
        }
        const wait = container.props.wait;
        if (!isUnknown(wait) && wait !== true) {
            findings.push({
                resource: container,
                finding: {
                    key: "wait",
                    problem: `is not true although ${names} depend${waiting.size === 1 ? "s" : ""} on this container, so Pulumi starts them as soon as it is created instead of once it is healthy.`,
                    fix: "set wait: true (and waitTimeout) so the container counts as created only when its healthcheck passes.",
                },
            });
        }
    }
    return findings;
}

export const stackHealthGates = stackGuard({
    name: "dependency-waits-for-health",
    description:
        "Every container that other resources depend on must have a healthcheck and wait: true. Otherwise dependsOn only orders creation, and the migration or the backend starts while PostgreSQL is still initialising, which fails the rollout or leaves it half-applied.",
    remediationSteps:
        "Give each depended-on container a healthcheck and set wait: true with a waitTimeout; the Postgres, Redis, Backend, WorkerGroup and Nginx components do.",
    severity: "medium",
    topics: ["availability"],
    checklist: [],
    uncatalogued:
        "start-up order between containers is outside every checklist (CIS 5.27 asks for the healthcheck, not for waiting on it).",
    check,
});

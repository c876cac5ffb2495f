import { healthcheckTests, probes } from "../rules/containerProps";
import { isHealthGate } from "../rules/healthGate";
import { nameList, transitiveDependencies } from "../rules/stackGraph";
import { isUnknown } from "../rules/unknownValue";
import { StackFinding, StackResource, TYPES, stackGuard } from "./lib/guard";
import { stackContainerRole } from "./lib/stackContainers";

function check(resources: readonly StackResource[]): StackFinding[] {
    // What a resource waits for, transitively, computed once per resource: the smoke check depends on every container.
    const reach = new Map<StackResource, Set<StackResource>>();
    const waitsFor = (resource: StackResource, gate: StackResource) => {
        let reached = reach.get(resource);
        if (reached === undefined) {
            reached = transitiveDependencies(resource);
            reach.set(resource, reached);
        }
        return reached.has(gate);
    };
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
        if (isUnknown(wait) || wait === true) {
            continue;
        }
        // A health gate of the container (a step that waits for it to be healthy) stands in for wait: true, as long
        // as everything else that depends on the container waits for one of its gates too.
        const gates = [...waiting].filter(
            (resource) => resource.type === TYPES.command && isHealthGate(resource.props),
        );
        if (gates.length > 0) {
            const bypassing = [...waiting].filter(
                (resource) => !gates.includes(resource) && !gates.some((gate) => waitsFor(resource, gate)),
            );
            if (bypassing.length > 0) {
                findings.push({
                    resource: container,
                    finding: {
                        key: "dependsOn",
                        problem: `${nameList(bypassing.map((resource) => resource.name))} wait${bypassing.length === 1 ? "s" : ""} for this container but not for its health gate ${nameList(gates.map((gate) => gate.name))}, so ${bypassing.length === 1 ? "it starts" : "they start"} as soon as the container is created instead of once it is healthy.`,
                        fix: "make them depend on the container's health gate (GatedContainer.healthGate) instead.",
                    },
                });
            }
            continue;
        }
        findings.push({
            resource: container,
            finding: {
                key: "wait",
                problem: `is not true although ${names} depend${waiting.size === 1 ? "s" : ""} on this container, so Pulumi starts them as soon as it is created instead of once it is healthy.`,
                fix: "set wait: true (and waitTimeout) so the container counts as created only when its healthcheck passes, or give it a health gate (components/healthGate.ts) that its dependents depend on.",
            },
        });
    }
    return findings;
}

export const stackHealthGates = stackGuard({
    name: "dependency-waits-for-health",
    description:
        "Every container that other resources depend on must have a healthcheck and either wait: true or a health gate (a step that waits until it is healthy) that every other dependent waits for. Otherwise dependsOn only orders creation, and the migration or the backend starts while PostgreSQL is still initialising, which fails the rollout or leaves it half-applied.",
    remediationSteps:
        "Give each depended-on container a healthcheck and set wait: true with a waitTimeout, or give it a health gate and make its dependents depend on the gate; the Postgres, Redis and Nginx components wait, the Backend and WorkerGroup containers have gates.",
    severity: "medium",
    topics: ["availability"],
    checklist: [],
    uncatalogued:
        "start-up order between containers is outside every checklist (CIS 5.27 asks for the healthcheck, not for waiting on it).",
    check,
});

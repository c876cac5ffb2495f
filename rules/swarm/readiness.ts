import { Finding } from "../finding";

/**
 * Whether a swarm can take a stack: the manager answers as a manager of an active swarm, and the node labels the
 * stack's placement constraints name are on Ready nodes (the datastore label on exactly one, since PostgreSQL's
 * and Redis's volumes live on that node). Pure: the facts come from `docker info` and `docker node inspect`.
 */

/** One node as the manager reports it. */
export interface SwarmNodeFacts {
    readonly hostname: string;
    readonly role: string;
    /** "ready", "down", ... (Status.State). */
    readonly state: string;
    /** "active", "pause" or "drain" (Spec.Availability). */
    readonly availability: string;
    readonly labels: Readonly<Record<string, string>>;
}

/** What the engine the stack reaches says about its swarm. */
export interface SwarmFacts {
    /** The engine address, as the stack gives it. */
    readonly host: string;
    /** Swarm.LocalNodeState: "inactive", "pending", "active", "error" or "locked". */
    readonly localNodeState: string;
    /** Swarm.ControlAvailable: the engine is a manager. */
    readonly controlAvailable: boolean;
    /** Every node, when the engine is a manager of an active swarm; empty otherwise. */
    readonly nodes: readonly SwarmNodeFacts[];
}

/** A node label the stack's placement needs, and the config key that names it. */
export interface SwarmLabelNeed {
    /** key=value */
    readonly label: string;
    readonly configKey: string;
    /** What is placed by it, for the message: "PostgreSQL and Redis". */
    readonly placed: string;
    /** Exactly one node must carry it (a datastore pinned to its volume), or at least one. */
    readonly exactlyOne: boolean;
}

function splitLabel(label: string): [string, string] {
    const at = label.indexOf("=");
    return [label.slice(0, at), label.slice(at + 1)];
}

function usable(node: SwarmNodeFacts): boolean {
    return node.state === "ready" && node.availability === "active";
}

/** The nodes that carry `label` (key=value), Ready and active or not. */
export function nodesWithLabel(nodes: readonly SwarmNodeFacts[], label: string): SwarmNodeFacts[] {
    const [key, value] = splitLabel(label);
    return nodes.filter((node) => node.labels[key] === value);
}

/** Every reason the swarm cannot take the stack; empty when it can. */
export function swarmReadinessFindings(facts: SwarmFacts, needs: readonly SwarmLabelNeed[]): Finding[] {
    if (facts.localNodeState !== "active") {
        return [
            {
                key: "webplatform:target",
                problem: `is "swarm", but the engine at ${facts.host} is not part of an active swarm (swarm state "${facts.localNodeState}").`,
                fix: `run "docker swarm init" on the manager and "docker swarm join" on the other nodes, or set webplatform:dockerHost to the address of a swarm manager.`,
            },
        ];
    }
    if (!facts.controlAvailable) {
        return [
            {
                key: "webplatform:dockerHost",
                problem: `the engine at ${facts.host} is a swarm worker, and services can only be created through a manager.`,
                fix: `set webplatform:dockerHost to a manager of the swarm ("docker node ls" on a manager lists them).`,
            },
        ];
    }
    const findings: Finding[] = [];
    for (const need of needs) {
        const carriers = nodesWithLabel(facts.nodes, need.label);
        const ready = carriers.filter(usable);
        if (ready.length === 0) {
            const [key, value] = splitLabel(need.label);
            findings.push({
                key: need.configKey,
                problem:
                    carriers.length === 0
                        ? `no node of the swarm at ${facts.host} has the label "${need.label}", which ${need.placed} must run on, so no task of theirs could be scheduled.`
                        : `the nodes labelled "${need.label}" (${carriers.map((node) => `${node.hostname}: ${node.state}, ${node.availability}`).join("; ")}) are not Ready and active, so ${need.placed} could not start.`,
                fix:
                    carriers.length === 0
                        ? `label the node that should run them: docker node update --label-add ${key}=${value} <node>.`
                        : `bring the node back (or make it active: docker node update --availability active <node>).`,
            });
        } else if (need.exactlyOne && carriers.length > 1) {
            const [key] = splitLabel(need.label);
            findings.push({
                key: need.configKey,
                problem: `${carriers.length} nodes (${carriers.map((node) => node.hostname).join(", ")}) have the label "${need.label}"; ${need.placed} could then move between them and start on an empty volume.`,
                fix: `keep the label on the one node that holds their volumes: docker node update --label-rm ${key} <node> on the others.`,
            });
        }
    }
    return findings;
}

/** One line naming the manager, the swarm's state and its nodes, for the preflight's log. */
export function swarmSummary(facts: SwarmFacts, needs: readonly SwarmLabelNeed[]): string {
    const ready = facts.nodes.filter(usable).length;
    const labels = needs
        .map(
            (need) =>
                `${need.label} on ${
                    nodesWithLabel(facts.nodes, need.label)
                        .map((node) => node.hostname)
                        .join(", ") || "no node"
                }`,
        )
        .join("; ");
    return `swarm manager ${facts.host}: swarm ${facts.localNodeState}, ${facts.nodes.length} nodes (${ready} ready and active); ${labels}`;
}

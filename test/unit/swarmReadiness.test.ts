import { describe, expect, it } from "vitest";
import { formatFinding } from "../../rules/finding";
import { SwarmFacts, SwarmNodeFacts, swarmReadinessFindings, swarmSummary } from "../../rules/swarm/readiness";
import { parseSwarmFacts } from "../../components/swarm/swarmFacts";
import { swarmLabelNeeds } from "../../components/swarm/swarmPreflight";
import { swarmSettingsOf } from "../../components/schemas/swarm";

const HOST = "unix:///run/webplatform-swarm/node1/docker.sock";
const needs = swarmLabelNeeds(swarmSettingsOf({}));

function node(
    hostname: string,
    labels: Record<string, string>,
    overrides: Partial<SwarmNodeFacts> = {},
): SwarmNodeFacts {
    return { hostname, role: "worker", state: "ready", availability: "active", labels, ...overrides };
}

const READY: SwarmFacts = {
    host: HOST,
    localNodeState: "active",
    controlAvailable: true,
    nodes: [
        node("n1", {}, { role: "manager" }),
        node("n2", { "webplatform.datastore": "true" }),
        node("n3", { "webplatform.edge": "true" }),
    ],
};

function messages(facts: SwarmFacts): string[] {
    return swarmReadinessFindings(facts, needs).map(formatFinding);
}

describe("swarm readiness (rules/swarm/readiness.ts)", () => {
    it("accepts an active swarm reached through a manager with one datastore node and an edge node", () => {
        expect(messages(READY)).toEqual([]);
        expect(swarmSummary(READY, needs)).toBe(
            `swarm manager ${HOST}: swarm active, 3 nodes (3 ready and active); webplatform.datastore=true on n2; webplatform.edge=true on n3`,
        );
    });

    it("refuses an engine that is not in a swarm, naming webplatform:target and the fix", () => {
        expect(messages({ ...READY, localNodeState: "inactive", controlAvailable: false, nodes: [] })).toEqual([
            `webplatform:target: is "swarm", but the engine at ${HOST} is not part of an active swarm (swarm state "inactive"). Fix: run "docker swarm init" on the manager and "docker swarm join" on the other nodes, or set webplatform:dockerHost to the address of a swarm manager.`,
        ]);
    });

    it("refuses a worker node as the engine", () => {
        expect(messages({ ...READY, controlAvailable: false, nodes: [] })).toEqual([
            `webplatform:dockerHost: the engine at ${HOST} is a swarm worker, and services can only be created through a manager. Fix: set webplatform:dockerHost to a manager of the swarm ("docker node ls" on a manager lists them).`,
        ]);
    });

    it("refuses a missing label, naming its config key and the docker node update that adds it", () => {
        const facts = { ...READY, nodes: READY.nodes.filter((entry) => entry.hostname !== "n3") };
        expect(messages(facts)).toEqual([
            `webplatform:swarm.edgeNodeLabel: no node of the swarm at ${HOST} has the label "webplatform.edge=true", which nginx must run on, so no task of theirs could be scheduled. Fix: label the node that should run them: docker node update --label-add webplatform.edge=true <node>.`,
        ]);
    });

    it("refuses a datastore label on two nodes, and on a node that is down", () => {
        const twice = {
            ...READY,
            nodes: [...READY.nodes, node("n4", { "webplatform.datastore": "true" })],
        };
        expect(messages(twice)).toEqual([
            `webplatform:swarm.datastoreNodeLabel: 2 nodes (n2, n4) have the label "webplatform.datastore=true"; PostgreSQL and Redis could then move between them and start on an empty volume. Fix: keep the label on the one node that holds their volumes: docker node update --label-rm webplatform.datastore <node> on the others.`,
        ]);
        const down = {
            ...READY,
            nodes: READY.nodes.map((entry) => (entry.hostname === "n2" ? { ...entry, state: "down" } : entry)),
        };
        expect(messages(down)).toEqual([
            `webplatform:swarm.datastoreNodeLabel: the nodes labelled "webplatform.datastore=true" (n2: down, active) are not Ready and active, so PostgreSQL and Redis could not start. Fix: bring the node back (or make it active: docker node update --availability active <node>).`,
        ]);
    });

    it("reads the facts from docker info and docker node inspect output", () => {
        const output = [
            JSON.stringify({ LocalNodeState: "active", ControlAvailable: true, Nodes: 1 }),
            JSON.stringify([
                {
                    Description: { Hostname: "n1" },
                    Spec: { Role: "manager", Availability: "active", Labels: { a: "b" } },
                    Status: { State: "ready" },
                },
            ]),
        ].join("\n");
        expect(parseSwarmFacts(HOST, output)).toEqual({
            host: HOST,
            localNodeState: "active",
            controlAvailable: true,
            nodes: [{ hostname: "n1", role: "manager", state: "ready", availability: "active", labels: { a: "b" } }],
        });
        expect(parseSwarmFacts(HOST, `${JSON.stringify({ LocalNodeState: "inactive" })}\n[]\n`)).toEqual({
            host: HOST,
            localNodeState: "inactive",
            controlAvailable: false,
            nodes: [],
        });
    });
});

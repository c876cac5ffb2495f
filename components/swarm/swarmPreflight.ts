import * as pulumi from "@pulumi/pulumi";
import { formatFinding } from "../../rules/finding";
import { SwarmLabelNeed, swarmReadinessFindings, swarmSummary } from "../../rules/swarm/readiness";
import { SwarmSettings } from "../schemas/swarm";
import { readSwarmFactsSync } from "./swarmFacts";

/** The node labels a platform's placement constraints name, each with the config key that sets it. */
export function swarmLabelNeeds(settings: SwarmSettings): SwarmLabelNeed[] {
    return [
        {
            label: settings.datastoreNodeLabel,
            configKey: "webplatform:swarm.datastoreNodeLabel",
            placed: "PostgreSQL and Redis",
            exactlyOne: true,
        },
        {
            label: settings.edgeNodeLabel,
            configKey: "webplatform:swarm.edgeNodeLabel",
            placed: "nginx",
            exactlyOne: false,
        },
    ];
}

/**
 * Checks now, blocking, that the engine is a manager of an active swarm with the labelled nodes the stack needs,
 * and returns the one-line summary (manager, state, node count, labels); throws a RunError listing every problem
 * with its fix otherwise. The stack program calls it before it registers anything, so preview already fails.
 */
export function checkSwarmSync(
    host: string | undefined,
    sshOptions: readonly string[],
    settings: SwarmSettings,
): string {
    const facts = readSwarmFactsSync(host, sshOptions);
    const needs = swarmLabelNeeds(settings);
    const findings = swarmReadinessFindings(facts, needs);
    if (findings.length > 0) {
        throw new pulumi.RunError(
            [
                `The swarm cannot take this stack (${findings.length} ${findings.length === 1 ? "problem" : "problems"}); nothing was deployed:`,
                ...findings.map((finding) => `  - ${formatFinding(finding)}`),
                `  (${swarmSummary(facts, needs)})`,
            ].join("\n"),
        );
    }
    return swarmSummary(facts, needs);
}

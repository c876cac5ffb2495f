import { describe, expect, it } from "vitest";
import { healthGateScript } from "../../components/healthGate";
import { runWithFakeDocker } from "./fakeDocker";

/**
 * The health gate's script run by sh against a stand-in `docker` on PATH (test/unit/fakeDocker.ts, labelled as
 * such): each way a new container ends its start (healthy at once, healthy later, dies, turns unhealthy, never
 * decides) is exercised here in milliseconds; test/engine/devStack.test.ts runs it against the real engine.
 */
const ID = "3f2a9c1bfeedface";

function runGate(options: {
    /** What the gate's first inspect answers: name, restart count, status, health. */
    first: string;
    /** What the engine's event stream prints: "<action> <exit code>" lines. Default: nothing. */
    events?: string;
    /** What the failure's inspect answers: name, status, health, restart count, exit code. */
    facts?: string;
}) {
    return runWithFakeDocker(healthGateScript({ containerId: ID, budgetSeconds: 120 }), [
        `*"{{.Name}} {{.RestartCount}}"*) echo '${options.first}' ;;`,
        `*"{{.Name}} {{.State.Status}}"*) echo '${options.facts ?? "/wp-web-1-abc restarting starting 1 4"}' ;;`,
        `events*) printf '${options.events ?? ""}' ;;`,
        `logs*) printf 'Traceback (most recent call last):\\nImportError: No module named settings\\n' ;;`,
    ]);
}

const FACTS_OF_A_CRASH =
    "it is restarting (health: starting), restarted 1 times, last exit code 4; its last log lines:\n    Traceback (most recent call last):\n    ImportError: No module named settings\n";

describe("healthGateScript", () => {
    it("passes a container that is healthy already, without reading the events", () => {
        const result = runGate({ first: "/wp-web-1-abc 0 running healthy", events: "die 1\n" });
        expect(result).toMatchObject({ code: 0, stderr: "" });
        expect(result.stdout).toMatch(/^ok: container wp-web-1-abc healthy after 0s\n$/);
    });

    it("subscribes from before its inspection until the healthcheck's budget is spent, for this container only", () => {
        const result = runGate({ first: "/wp-web-1-abc 0 running starting", events: "health_status: healthy \n" });
        expect(result).toMatchObject({ code: 0, stderr: "" });
        expect(result.stdout).toBe("ok: container wp-web-1-abc healthy after 0s\n");
        const events = result.calls.find((call) => call.startsWith("events "))!;
        const [, since, until] = /--since (\d+) --until (\d+) /.exec(events)!;
        expect(Number(until) - Number(since)).toBe(120);
        expect(events.replace(/\d{9,}/g, "T")).toBe(
            `events --since T --until T --filter container=${ID} --filter event=health_status --filter event=die --format {{.Action}} {{index .Actor.Attributes "exitCode"}}`,
        );
    });

    it("fails at the container's first death with its exit code, state, restarts and last log lines", () => {
        const result = runGate({ first: "/wp-web-1-abc 0 running starting", events: "die 4\n" });
        expect(result.code).toBe(1);
        expect(result.stdout).toBe("");
        expect(result.stderr).toBe(
            `container wp-web-1-abc exited with code 4 before it became healthy: ${FACTS_OF_A_CRASH}`,
        );
        expect(result.calls.filter((call) => call.startsWith("logs"))).toEqual([`logs --tail 10 ${ID}`]);
    });

    it("fails when the container turns unhealthy", () => {
        const result = runGate({
            first: "/wp-web-1-abc 0 running starting",
            events: "health_status: unhealthy \n",
            facts: "/wp-web-1-abc running unhealthy 0 0",
        });
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(
            /^container wp-web-1-abc turned unhealthy: it is running \(health: unhealthy\), restarted 0 times, last exit code 0; its last log lines:\n {4}Traceback/,
        );
    });

    it("fails at once on a container that died before the gate looked: restarted, exited or unhealthy already", () => {
        expect(runGate({ first: "/wp-web-1-abc 1 running starting" }).stderr).toBe(
            `container wp-web-1-abc exited before it became healthy: ${FACTS_OF_A_CRASH}`,
        );
        expect(
            runGate({ first: "/wp-web-1-abc 5 exited ", facts: "/wp-web-1-abc exited starting 5 4" }).stderr,
        ).toMatch(
            /^container wp-web-1-abc is not running: it is exited \(health: starting\), restarted 5 times, last exit code 4;/,
        );
        expect(runGate({ first: "/wp-web-1-abc 0 running unhealthy" }).stderr).toMatch(
            /^container wp-web-1-abc is unhealthy: /,
        );
    });

    it("fails once the healthcheck's budget is spent without a verdict (the event stream ended)", () => {
        const result = runGate({
            first: "/wp-web-1-abc 0 running starting",
            events: "health_status: starting \n",
            facts: "/wp-web-1-abc running starting 0 0",
        });
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(
            /^container wp-web-1-abc was not healthy within its healthcheck's budget of 120s: it is running \(health: starting\)/,
        );
    });
});

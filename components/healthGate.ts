import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { dockerCliStep } from "./dockerCli";
import { shellQuote } from "./shell";
import { FAILURE_LOG_LINES } from "./smokeCheck";
import { HEALTH_GATE_VARIABLE } from "../rules/healthGate";

/**
 * The gate's script. It reacts to the engine's own events (`docker events`: health_status and die) instead of
 * polling, so it ends the moment the container turns healthy, and fails the moment it dies or turns unhealthy,
 * naming the container, its state, exit code, restart count and last log lines. The events are read from a time
 * taken before the container is inspected, so an event between the inspection and the subscription is not lost,
 * and they end on their own (`--until`) when the healthcheck's budget is spent.
 */
export function healthGateScript(settings: {
    readonly containerId: string;
    /** Seconds after which Docker has necessarily called the container unhealthy (healthBudgetSeconds). */
    readonly budgetSeconds: number;
}): string {
    const id = shellQuote(settings.containerId);
    const facts =
        "{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}no-healthcheck{{end}} {{.RestartCount}} {{.State.ExitCode}}";
    return [
        "set -u",
        `container=${id}`,
        // Judged once more when failing, since after a die Docker may already have restarted the container.
        "fail() {",
        `  set -- "$1" $(docker inspect -f ${shellQuote(facts)} "$container" 2>/dev/null || echo "/$container gone gone 0 0")`,
        '  echo "container ${2#/} $1: it is $3 (health: $4), restarted $5 times, last exit code ${6}; its last log lines:" >&2',
        `  docker logs --tail ${FAILURE_LOG_LINES} "$container" 2>&1 | sed 's/^/    /' >&2`,
        "  exit 1",
        "}",
        'healthy() { echo "ok: container $1 healthy after $(( $(date +%s) - began ))s"; exit 0; }',
        "began=$(date +%s)",
        'events=$(mktemp -d) && mkfifo "$events/fifo" || exit 1',
        "watcher=",
        `trap '[ -z "$watcher" ] || kill "$watcher" 2>/dev/null; rm -rf "$events"' EXIT`,
        // Ended from outside (an interrupted run's plugins ended), it still ends its event stream on the way out.
        "trap 'exit 1' HUP INT TERM",
        `docker events --since "$began" --until "$(( began + ${settings.budgetSeconds} ))" --filter "container=$container" \\`,
        `  --filter event=health_status --filter event=die --format '{{.Action}} {{index .Actor.Attributes "exitCode"}}' >"$events/fifo" &`,
        "watcher=$!",
        `set -- $(docker inspect -f '{{.Name}} {{.RestartCount}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "$container") \\`,
        '  || fail "does not exist"',
        "name=${1#/}",
        'case "$3 ${4:-}" in',
        '  "running healthy") healthy "$name" ;;',
        '  "running unhealthy") fail "is unhealthy" ;;',
        "  running*) ;;",
        // Restarting: it exited already, and Docker is about to start it again.
        '  restarting*) fail "exited before it became healthy" ;;',
        '  *) fail "is not running" ;;',
        "esac",
        // A container this new that Docker has restarted already exited before it ever became healthy.
        '[ "$2" = 0 ] || fail "exited before it became healthy"',
        "while read -r action code; do",
        '  case "$action $code" in',
        '    "health_status: healthy"*) healthy "$name" ;;',
        '    "health_status: unhealthy"*) fail "turned unhealthy" ;;',
        '    die*) fail "exited with code $code before it became healthy" ;;',
        "  esac",
        'done <"$events/fifo"',
        `fail "was not healthy within its healthcheck's budget of ${settings.budgetSeconds}s"`,
        "",
    ].join("\n");
}

/**
 * A step that counts as created only once `container` is healthy, and fails at once, with the container's facts,
 * when it dies or turns unhealthy first: the container's own `wait` would only say "failed to be in healthy
 * state" after its whole timeout. Everything that needs the container serving depends on the gate. With
 * create-before-delete the old container is removed only once the whole update succeeded, so a failing gate
 * leaves it serving. The script travels on stdin, so a failure prints the container's facts, not the script.
 */
export function healthGate(
    name: string,
    gated: {
        readonly container: docker.Container;
        /** The container's resource name, which the gate's HEALTH_GATE_VARIABLE names. */
        readonly containerName: string;
        /** healthBudgetSeconds of the container's healthcheck. */
        readonly budgetSeconds: number;
    },
    opts: pulumi.CustomResourceOptions & { readonly parent: pulumi.Resource },
): command.local.Command {
    return dockerCliStep(
        name,
        {
            script: "exec /bin/sh -s",
            stdin: gated.container.id.apply((containerId) =>
                healthGateScript({ containerId, budgetSeconds: gated.budgetSeconds }),
            ),
            environment: { [HEALTH_GATE_VARIABLE]: gated.containerName },
            // A new container (a rollout, or one recreated after drift) is waited for again.
            triggers: [gated.container.id],
        },
        { ...opts, dependsOn: [gated.container] },
    );
}

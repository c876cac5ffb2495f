import { imageReference } from "../components/schemas/image";
import {
    describeNoOp,
    healthcheckNoOpVerdict,
    healthcheckRunsShell,
    imageHasNoShell,
    noOpVerdict,
} from "../rules/commands/noOp";
import { queueBrokerFindings } from "../rules/commands/queueRunner";
import { Finding } from "../rules/finding";
import type { StackConfig } from "./schema";

const PREFIX = "webplatform:";

/**
 * Production checks of the commands the platform runs: a migration, migration probe or healthcheck that does nothing, a shell-form
 * healthcheck on an image known to hold no shell, and a queue worker given no broker. Same rules as the pack.
 * `reported` holds keys already refused: a broker variable whose backend.env value the environment rules refuse
 * is reported there once, not again on every worker that reads it.
 */
export function stepFindings(config: StackConfig, reported: ReadonlySet<string> = new Set()): Finding[] {
    const findings: Finding[] = [];
    const backendImage = imageReference(config.backend.image);
    const commands: [string, readonly string[] | undefined, string][] = [
        [
            "backend.migrationCommand",
            config.backend.migrationCommand,
            'run the real migration, e.g. ["python", "manage.py", "migrate", "--noinput"]; remove the step\'s no-op stand-in.',
        ],
        [
            "backend.pendingMigrationsCheck",
            config.backend.pendingMigrationsCheck,
            'run the application\'s own probe, e.g. ["python", "manage.py", "migrate", "--check"], or leave it unset.',
        ],
        [
            "backend.healthcheckCommand",
            config.backend.healthcheckCommand,
            "probe the process or its port (an HTTP request to the health endpoint), or leave it unset for the default probe.",
        ],
        ...Object.entries(config.workers).map(([name, worker]): [string, readonly string[], string] => [
            `workers.${name}.healthcheckCommand`,
            worker.healthcheckCommand,
            'probe the worker itself, e.g. ["celery", "-A", "config", "inspect", "ping", "-d", "celery@$HOSTNAME"].',
        ]),
    ];
    for (const [key, argv, fix] of commands) {
        const healthcheck = key.endsWith("healthcheckCommand");
        const verdict = argv === undefined ? undefined : healthcheck ? healthcheckNoOpVerdict(argv) : noOpVerdict(argv);
        if (verdict !== undefined) {
            findings.push({ key: `${PREFIX}${key}`, problem: `${describeNoOp(verdict)}.`, fix });
        }
        if (argv !== undefined && healthcheck && healthcheckRunsShell(argv) && imageHasNoShell(backendImage)) {
            findings.push({
                key: `${PREFIX}${key}`,
                problem: `runs through a shell, but "${backendImage}" has no /bin/sh, so the healthcheck can never pass.`,
                fix: "give the probe as the program and its arguments (no sh -c), or use the image's :debug variant.",
            });
        }
    }
    const injected = new Set(Object.keys(config.backend.redisUrlVariables));
    for (const [name, worker] of Object.entries(config.workers)) {
        const ownEnv = worker.env ?? {};
        findings.push(
            ...queueBrokerFindings(
                worker.command,
                (variable) =>
                    (injected.has(variable) && !Object.hasOwn(ownEnv, variable)) ||
                    reported.has(`${PREFIX}backend.env.${variable}`),
                `${PREFIX}workers.${name}.command`,
                (runner, variables) =>
                    `map ${variables[0]} to a Redis database with \`pulumi config set --path 'backend.redisUrlVariables.${variables[0]}' ${runner === "celery" ? "broker" : "queue"}\`, so the platform injects its URL.`,
            ),
        );
    }
    return findings;
}

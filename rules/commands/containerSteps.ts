/** The command rules (no-op steps, shell-less images, queue brokers) read off what the engine is about to deploy. */
import { Props, environmentOf, healthcheckTests, labelValue, wordsOf } from "../containerProps";
import { parseDockerRun } from "../dockerRun";
import { Finding } from "../finding";
import { LABELS, MIGRATION_ROLE } from "../labels";
import { knownString } from "../unknownValue";
import { describeNoOp, healthcheckNoOpVerdict, healthcheckRunsShell, imageHasNoShell, noOpVerdict } from "./noOp";
import { isRedisUrl, queueBrokerFindings } from "./queueRunner";

/** A container's healthcheck must probe something, and a shell-form one needs an image with /bin/sh. */
export function healthcheckProbesSomething(props: Props): Finding[] {
    const tests = healthcheckTests(props);
    if (tests === undefined || tests.length === 0 || tests[0] === "NONE") {
        return []; // missing or disabled: container-healthcheck reports it
    }
    const findings: Finding[] = [];
    const verdict = healthcheckNoOpVerdict(tests);
    if (verdict !== undefined) {
        findings.push({
            key: "healthcheck.tests",
            problem: `${describeNoOp(verdict)}, so Docker reports the container healthy whatever state it is in.`,
            fix: "probe the process or its port, e.g. an HTTP request to its health endpoint that fails on an error status.",
        });
    }
    const image = knownString(props.image);
    if (healthcheckRunsShell(tests) && imageHasNoShell(image)) {
        findings.push({
            key: "healthcheck.tests",
            problem: `runs through /bin/sh, but "${image}" has no shell, so the healthcheck can never pass.`,
            fix: 'use the exec form ["CMD", "<probe>", ...] with a program the image holds, or the image\'s :debug variant.',
        });
    }
    return findings;
}

const MIGRATION_FIX =
    'run the real migration, e.g. ["python", "manage.py", "migrate", "--noinput"] or ["alembic", "upgrade", "head"].';

/** A local Command that runs the labelled migration container must run a command that does something. */
export function migrationStepDoesSomething(create: string | undefined): Finding[] {
    const run = create === undefined ? undefined : parseDockerRun(create);
    if (!run || run.labels[LABELS.role] !== MIGRATION_ROLE || run.command.length === 0) {
        return []; // no migration step, or one that runs the image's own CMD (which the pack cannot see)
    }
    const verdict = noOpVerdict(run.command);
    return verdict === undefined
        ? []
        : [
              {
                  key: "create",
                  problem: `runs the migration as \`${run.command.join(" ")}\`, which ${describeNoOp(verdict)}.`,
                  fix: MIGRATION_FIX,
              },
          ];
}

/** A migration container (labelled so) must run a command that does something. */
export function migrationContainerDoesSomething(props: Props): Finding[] {
    if (labelValue(props.labels, LABELS.role) !== MIGRATION_ROLE) {
        return [];
    }
    const command = [...(wordsOf(props.entrypoint) ?? []), ...(wordsOf(props.command) ?? [])];
    const verdict = command.length === 0 ? undefined : noOpVerdict(command);
    return verdict === undefined ? [] : [{ key: "command", problem: `${describeNoOp(verdict)}.`, fix: MIGRATION_FIX }];
}

/** A container that starts a queue runner must have a redis:// broker URL in a variable its runner reads. */
export function queueWorkerHasBroker(props: Props): Finding[] {
    const environment = environmentOf(props.envs);
    if (environment === undefined || !environment.complete) {
        return []; // unknown at preview (it holds secrets); checked again at update
    }
    const command = [...(wordsOf(props.entrypoint) ?? []), ...(wordsOf(props.command) ?? [])];
    return queueBrokerFindings(
        command,
        (variable) => isRedisUrl(environment.env[variable]),
        "command",
        (_runner, variables) =>
            `set ${variables[0]} in envs to the platform Redis (redis://:<password>@<redis container>:6379/<db>), as backend.redisUrlVariables does.`,
    );
}

import { Finding } from "../finding";
import { programOf, scriptsIn, simpleCommands } from "../shellWords";

/**
 * Queue runners a worker command may start, and the variables each reads its Redis broker from. A runner started
 * without one falls back to a broker on localhost (Celery: amqp://localhost, RQ/arq/huey: redis://localhost), which
 * in a container is nothing: the worker crash-loops or, worse, waits on a queue nobody fills.
 */
export type QueueRunner = "celery" | "rq" | "dramatiq" | "arq" | "huey";

export const BROKER_VARIABLES: Readonly<Record<QueueRunner, readonly string[]>> = {
    celery: ["CELERY_BROKER_URL", "BROKER_URL"],
    rq: ["RQ_REDIS_URL", "REDIS_URL"],
    dramatiq: ["DRAMATIQ_BROKER_URL", "REDIS_URL"],
    arq: ["ARQ_REDIS_URL", "REDIS_URL"],
    huey: ["HUEY_REDIS_URL", "REDIS_URL"],
};

/** Programs that are a runner's command-line entry point. */
const PROGRAMS: Readonly<Record<string, QueueRunner>> = {
    celery: "celery",
    rq: "rq",
    rqworker: "rq",
    dramatiq: "dramatiq",
    "dramatiq-gevent": "dramatiq",
    arq: "arq",
    huey_consumer: "huey",
    "huey_consumer.py": "huey",
};
/** Django management commands of the runners' integrations (django-rq, django-dramatiq, huey.contrib.djhuey...). */
const MANAGE_COMMANDS: Readonly<Record<string, QueueRunner>> = {
    celery: "celery",
    rqworker: "rq",
    rqworker_pool: "rq",
    rundramatiq: "dramatiq",
    run_huey: "huey",
};
const PYTHON = /^python(\d+(\.\d+)?)?$/;
/** Launchers whose argument is the real program (`uv run celery`, `poetry run celery`, `pipenv run`...). */
const LAUNCHERS = new Set(["uv", "poetry", "pipenv", "pdm", "hatch"]);

/** The queue runners an argv starts, looking into `sh -c` scripts too. */
export function queueRunnersIn(argv: readonly string[]): QueueRunner[] {
    const found = new Set<QueueRunner>();
    for (const sequence of scriptsIn(argv)) {
        for (const command of simpleCommands(sequence)) {
            const runner = runnerOf(command);
            if (runner) {
                found.add(runner);
            }
        }
    }
    return [...found];
}

function runnerOf(command: readonly string[]): QueueRunner | undefined {
    const start = programOf(command);
    if (!start) {
        return undefined;
    }
    let words = command.slice(start.index);
    const base = (word: string | undefined) => (word === undefined ? "" : word.slice(word.lastIndexOf("/") + 1));
    if (LAUNCHERS.has(base(words[0])) && words[1] === "run") {
        words = words.slice(2);
    }
    const program = base(words[0]);
    if (PROGRAMS[program]) {
        return PROGRAMS[program];
    }
    if (PYTHON.test(program)) {
        const rest = words.slice(1).filter((word) => !/^-[^m]/.test(word));
        if (rest[0] === "-m") {
            return PROGRAMS[rest[1]?.split(".")[0] ?? ""];
        }
        if (base(rest[0]) === "manage.py") {
            return MANAGE_COMMANDS[rest[1] ?? ""];
        }
        return undefined;
    }
    if (program === "manage.py" || program === "django-admin") {
        return MANAGE_COMMANDS[words[1] ?? ""];
    }
    return undefined;
}

/**
 * Findings for a worker command that starts a queue runner without a broker. `hasBroker(variable)` says whether
 * the platform hands the container a Redis URL in that variable; `key` is where the finding points.
 */
export function queueBrokerFindings(
    argv: readonly string[],
    hasBroker: (variable: string) => boolean,
    key: string,
    fix: (runner: QueueRunner, variables: readonly string[]) => string,
): Finding[] {
    return queueRunnersIn(argv).flatMap((runner) => {
        const variables = BROKER_VARIABLES[runner];
        if (variables.some(hasBroker)) {
            return [];
        }
        return [
            {
                key,
                problem: `starts ${runner} but the container receives no Redis broker URL in ${variables.join(" or ")}, so the worker connects to a broker on localhost that does not exist.`,
                fix: fix(runner, variables),
            },
        ];
    });
}

/** A value the pack accepts as a Redis broker URL. */
export function isRedisUrl(value: string | undefined): boolean {
    return value !== undefined && /^rediss?:\/\/[^\s]+$/.test(value.trim());
}

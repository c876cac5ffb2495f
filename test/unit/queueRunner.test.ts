import { describe, expect, it } from "vitest";
import { isRedisUrl, queueBrokerFindings, queueRunnersIn } from "../../rules/commands/queueRunner";

describe("queueRunnersIn", () => {
    it.each([
        [["celery", "-A", "config", "worker", "--loglevel=info"], ["celery"]],
        [["/usr/local/bin/celery", "-A", "config", "beat"], ["celery"]],
        [["python", "-m", "celery", "-A", "proj", "worker"], ["celery"]],
        [["python3", "-u", "-m", "celery", "worker"], ["celery"]],
        [["sh", "-c", "cd /app && exec celery -A config worker"], ["celery"]],
        [["uv", "run", "celery", "-A", "app", "worker"], ["celery"]],
        [["rq", "worker", "high", "default"], ["rq"]],
        [["rqworker", "default"], ["rq"]],
        [["python", "manage.py", "rqworker", "default"], ["rq"]],
        [["python", "manage.py", "celery", "worker"], ["celery"]],
        [["dramatiq", "app.tasks"], ["dramatiq"]],
        [["python", "manage.py", "rundramatiq"], ["dramatiq"]],
        [["arq", "app.worker.WorkerSettings"], ["arq"]],
        [["huey_consumer.py", "app.huey"], ["huey"]],
        [["python", "manage.py", "run_huey"], ["huey"]],
        [["env", "A=1", "dramatiq", "tasks"], ["dramatiq"]],
    ])("%j starts %j", (argv, runners) => {
        expect(queueRunnersIn(argv)).toEqual(runners);
    });

    it.each([
        [["daphne", "-b", "0.0.0.0", "-p", "8001", "config.asgi:application"]],
        [["gunicorn", "config.wsgi:application"]],
        [["python", "bot.py"]],
        [["python", "manage.py", "migrate"]],
        [["python", "-c", "import celery"]],
        [["echo", "celery"]],
    ])("%j starts none", (argv) => {
        expect(queueRunnersIn(argv)).toEqual([]);
    });
});

describe("queueBrokerFindings", () => {
    const fix = () => "give it a broker.";
    it("refuses a runner without any of its broker variables, naming them", () => {
        expect(queueBrokerFindings(["celery", "-A", "x", "worker"], () => false, "command", fix)).toEqual([
            {
                key: "command",
                problem:
                    "starts celery but the container receives no Redis broker URL in CELERY_BROKER_URL or BROKER_URL, so the worker connects to a broker on localhost that does not exist.",
                fix: "give it a broker.",
            },
        ]);
    });
    it.each([
        [["celery", "worker"], "CELERY_BROKER_URL"],
        [["celery", "worker"], "BROKER_URL"],
        [["rq", "worker"], "REDIS_URL"],
        [["rq", "worker"], "RQ_REDIS_URL"],
        [["arq", "w.S"], "REDIS_URL"],
        [["huey_consumer", "app.huey"], "HUEY_REDIS_URL"],
        [["gunicorn", "app"], "NOTHING"],
    ])("accepts %j with %s", (argv, variable) => {
        expect(queueBrokerFindings(argv, (name) => name === variable, "command", fix)).toEqual([]);
    });
    it("does not take REDIS_URL as Celery's broker", () => {
        expect(queueBrokerFindings(["celery", "worker"], (name) => name === "REDIS_URL", "c", fix)).toHaveLength(1);
    });
});

describe("isRedisUrl", () => {
    it.each([
        ["redis://:pw@platform-redis:6379/1", true],
        ["rediss://cache.example.com:6380/0", true],
        [" redis://x ", true],
        ["amqp://guest@rabbit//", false],
        ["memory://", false],
        ["", false],
        [undefined, false],
    ])("%j: %s", (value, expected) => {
        expect(isRedisUrl(value)).toBe(expected);
    });
});

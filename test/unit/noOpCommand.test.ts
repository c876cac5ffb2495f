import { describe, expect, it } from "vitest";
import {
    healthcheckNoOpVerdict,
    healthcheckRunsShell,
    imageHasNoShell,
    noOpVerdict,
    scriptNoOpVerdict,
} from "../../rules/commands/noOp";

describe("noOpVerdict: an argv that does nothing", () => {
    it.each([
        [["true"]],
        [[":"]],
        [["/bin/true"]],
        [["/usr/bin/true", "--anything"]],
        [["exit", "0"]],
        [["exit"]],
        [["echo", "ok"]],
        [["printf", "%s", "ready"]],
        [["sleep", "1"]],
        [["test", "1"]],
        [["[", "1", "=", "1", "]"]],
        [["sh", "-c", ""]],
        [["sh", "-c", "   "]],
        [["sh"]],
        [["/bin/sh", "-c", "true && exit 0"]],
        [["bash", "-lc", "echo migrated; exit 0"]],
        [["sh", "-ec", "sleep 5\ntrue"]],
        [["sh", "-c", "sh -c 'exit 0'"]],
        [["busybox", "true"]],
        [["exec", "true"]],
        [["env", "A=1", "true"]],
        [["sh", "-c", "A=1"]],
        [["sh", "-c", "echo ok > /dev/null 2>&1"]],
        [[""]],
        [[]],
    ])("%j does nothing", (argv) => {
        expect(noOpVerdict(argv)).toBe("does-nothing");
    });

    it.each([
        [["sh", "-c", "python manage.py migrate || true"]],
        [["sh", "-c", "alembic upgrade head; exit 0"]],
        [["sh", "-c", "curl -f http://127.0.0.1:8000/health | cat"]],
        [["sh", "-c", "python manage.py migrate && echo done || echo failed"]],
    ])("%j cannot fail", (argv) => {
        expect(noOpVerdict(argv)).toBe("cannot-fail");
    });

    it.each([
        [["python", "manage.py", "migrate", "--noinput"]],
        [["alembic", "upgrade", "head"]],
        [["sh", "-c", "python manage.py migrate --noinput && python manage.py collectstatic --noinput"]],
        [["sh", "-c", "cd /app/src && alembic upgrade head"]],
        [["sh", "-c", "true && alembic upgrade head"]],
        [["sh", "-c", "python manage.py migrate && echo done"]],
        [["sh", "script.sh"]],
        [["false"]],
        [["exit", "1"]],
        [["test", "-f", "/tmp/ready"]],
        [["test", "$READY"]],
        [["python3", "-c", "import socket; socket.create_connection(('127.0.0.1', 8001), 3)"]],
        [["sh", "-c", "echo ok\ncurl -f http://127.0.0.1/health"]],
    ])("%j may do something", (argv) => {
        expect(noOpVerdict(argv)).toBeUndefined();
    });
});

describe("scriptNoOpVerdict and healthcheck test words", () => {
    it.each([
        [["CMD-SHELL", "exit 0"], "does-nothing"],
        [["CMD-SHELL", ""], "does-nothing"],
        [["CMD", "true"], "does-nothing"],
        [["NONE"], "does-nothing"],
        [["CMD-SHELL", "curl -fsS http://127.0.0.1:8000/health || exit 0"], "cannot-fail"],
        [["CMD-SHELL", "celery -A config inspect ping -d celery@$HOSTNAME --timeout 5"], undefined],
        [["CMD-SHELL", "find /tmp/celerybeat-schedule -mmin -5 | grep -q ."], undefined],
        [["CMD", "pg_isready", "-U", "app", "-d", "app"], undefined],
        [["python3", "-c", "import urllib.request"], undefined],
    ])("%j is %s", (tests, verdict) => {
        expect(healthcheckNoOpVerdict(tests)).toBe(verdict);
    });

    it("reads a script's status from its last list", () => {
        expect(scriptNoOpVerdict("curl -f http://x; true")).toBe("cannot-fail");
        expect(scriptNoOpVerdict("true; curl -f http://x")).toBeUndefined();
        expect(scriptNoOpVerdict("echo 'a\nb'")).toBe("does-nothing");
    });

    it.each([
        [["CMD-SHELL", "curl x"], true],
        [["CMD", "sh", "-c", "curl x"], true],
        [["sh", "-c", "curl x"], true],
        [["CMD", "curl", "x"], false],
        [["/app/healthcheck"], false],
    ])("%j runs through a shell: %s", (tests, shell) => {
        expect(healthcheckRunsShell(tests)).toBe(shell);
    });
});

describe("imageHasNoShell", () => {
    it.each([
        ["gcr.io/distroless/python3-debian12:nonroot", true],
        ["gcr.io/distroless/static@sha256:" + "a".repeat(64), true],
        ["gcr.io/distroless/base-debian12:debug", false],
        ["gcr.io/distroless/base-debian12:debug-nonroot", false],
        ["cgr.dev/chainguard/static:latest", true],
        ["registry.example.com/team/distroless-python:1.2.3", true],
        ["scratch", true],
        ["python:3.12-slim", false],
        ["ghcr.io/acme/app:1.0.0", false],
        ["sha256:" + "b".repeat(64), false],
        [undefined, false],
    ])("%s: %s", (reference, expected) => {
        expect(imageHasNoShell(reference)).toBe(expected);
    });
});

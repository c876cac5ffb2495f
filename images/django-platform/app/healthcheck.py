#!/usr/bin/env python3
"""
Container healthcheck, exec form: `python3 /app/healthcheck.py [web|daphne|worker|worker-alive|beat] [--port N]`.

Without a role it looks at the container's own processes (/proc) and checks what runs there: gunicorn -> web,
daphne -> daphne, `celery ... worker` -> worker, `celery ... beat` -> beat. So the image's HEALTHCHECK fits
every process it runs, and a stack can still name the role explicitly.

  web, daphne  GET http://127.0.0.1:<port>/api/system/health/live/ must answer 200 (port from --port, the
               process's --bind / -p, or 8000 / 8001)
  worker       `celery inspect ping` of this container's own node (celery@<hostname>) must answer
  worker-alive the worker's own event loop touched WORKER_ALIVE_FILE (default /tmp/celery-worker.alive) within
               WORKER_ALIVE_MAX_AGE seconds (default 60); much cheaper than a ping, for short probe intervals
  beat         the schedule file (CELERY_BEAT_SCHEDULE_FILENAME, default /tmp/celerybeat-schedule) must have
               been touched within BEAT_HEALTH_MAX_AGE seconds (default 180; beat touches it on every tick, at
               least once a minute)

Exit 0 healthy, 1 unhealthy (the reason on stderr), 2 usage.
"""
import os
import socket
import sys
import time
import urllib.request

LIVE_PATH = "/api/system/health/live/"


def processes():
    """Command lines of the other processes in this container."""
    own = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == own:
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                words = [word.decode("utf-8", "replace") for word in handle.read().split(b"\0") if word]
        except OSError:
            continue
        if words:
            yield words


def detect():
    for words in processes():
        names = [os.path.basename(word) for word in words]
        joined = " ".join(names)
        if "gunicorn" in joined:
            return "web", words
        if "daphne" in joined:
            return "daphne", words
        if "celery" in joined and "worker" in words:
            return "worker", words
        if "celery" in joined and "beat" in words:
            return "beat", words
    return None, []


def option(words, *names):
    """Value of an option such as --bind 0.0.0.0:8000 / --bind=0.0.0.0:8000 / -p 8001."""
    for index, word in enumerate(words):
        for name in names:
            if word == name and index + 1 < len(words):
                return words[index + 1]
            if word.startswith(name + "="):
                return word.split("=", 1)[1]
    return None


def check_http(port: int) -> None:
    url = f"http://127.0.0.1:{port}{LIVE_PATH}"
    with urllib.request.urlopen(url, timeout=4) as response:
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")


def check_worker() -> None:
    from celery import Celery

    broker = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL")
    if not broker:
        raise RuntimeError("CELERY_BROKER_URL is not set")
    node = f"celery@{socket.gethostname()}"
    app = Celery("healthcheck", broker=broker, set_as_current=False)
    try:
        replies = app.control.ping(destination=[node], timeout=float(os.environ.get("WORKER_PING_TIMEOUT", "3")))
    finally:
        app.close()
    if not any(node in reply for reply in replies):
        raise RuntimeError(f"{node} did not answer a ping")


def check_worker_alive() -> None:
    path = os.environ.get("WORKER_ALIVE_FILE", "/tmp/celery-worker.alive")
    if not os.path.exists(path):
        raise RuntimeError(f"{path} does not exist")
    age = time.time() - os.path.getmtime(path)
    limit = float(os.environ.get("WORKER_ALIVE_MAX_AGE", "60"))
    if age > limit:
        raise RuntimeError(f"{path} was last touched {age:.0f}s ago (limit {limit:.0f}s)")


def check_beat() -> None:
    path = os.environ.get("CELERY_BEAT_SCHEDULE_FILENAME", "/tmp/celerybeat-schedule")
    candidates = [path] + [path + suffix for suffix in (".db", ".dat", ".dir")]
    ages = [time.time() - os.path.getmtime(name) for name in candidates if os.path.exists(name)]
    if not ages:
        raise RuntimeError(f"{path} does not exist")
    limit = float(os.environ.get("BEAT_HEALTH_MAX_AGE", "180"))
    if min(ages) > limit:
        raise RuntimeError(f"{path} was last written {min(ages):.0f}s ago (limit {limit:.0f}s)")


def main(argv) -> int:
    args = list(argv)
    port = None
    if "--port" in args:
        index = args.index("--port")
        try:
            port = int(args[index + 1])
        except (IndexError, ValueError):
            print("usage: healthcheck.py [web|daphne|worker|worker-alive|beat] [--port N]", file=sys.stderr)
            return 2
        del args[index : index + 2]
    role = args[0] if args else None
    words = []
    if role is None:
        role, words = detect()
        if role is None:
            print("unhealthy: no gunicorn, daphne or celery process found", file=sys.stderr)
            return 1
    if role not in ("web", "daphne", "worker", "worker-alive", "beat"):
        print(f"unknown role {role!r}; use web, daphne, worker, worker-alive or beat", file=sys.stderr)
        return 2
    try:
        if role in ("web", "daphne"):
            if port is None:
                if role == "web":
                    bind = option(words, "--bind", "-b")
                    port = int(bind.rsplit(":", 1)[1]) if bind and ":" in bind else 8000
                else:
                    value = option(words, "--port", "-p")
                    port = int(value) if value else 8001
            check_http(port)
        elif role == "worker":
            check_worker()
        elif role == "worker-alive":
            check_worker_alive()
        else:
            check_beat()
    except Exception as error:
        print(f"unhealthy ({role}): {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

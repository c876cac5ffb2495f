#!/usr/bin/env python3
"""
Container healthcheck, exec form: `python3 /app/healthcheck.py [web|bot] [--port N]`.

  web  GET http://127.0.0.1:<port>/health must answer 200 (database and Redis up); port from --port, the
       gunicorn --bind of this container, or 8000
  bot  BOT_HEARTBEAT_FILE (default /tmp/bot.heartbeat) must have been touched within BOT_HEARTBEAT_MAX_AGE
       seconds (default: BOT_POLL_TIMEOUT + 60); the bot touches it after every getUpdates answer

Without a role it looks at the container's processes: gunicorn -> web, bot.py -> bot. Exit 0 healthy, 1 not.
"""
import os
import sys
import time
import urllib.request


def processes():
    own = os.getpid()
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != own:
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    words = [w.decode("utf-8", "replace") for w in handle.read().split(b"\0") if w]
            except OSError:
                continue
            if words:
                yield words


def detect():
    for words in processes():
        names = [os.path.basename(word) for word in words]
        if "gunicorn" in " ".join(names):
            return "web", words
        if "bot.py" in names:
            return "bot", words
    return None, []


def bind_port(words, default=8000):
    for index, word in enumerate(words):
        value = None
        if word in ("--bind", "-b") and index + 1 < len(words):
            value = words[index + 1]
        elif word.startswith("--bind="):
            value = word.split("=", 1)[1]
        if value and ":" in value:
            return int(value.rsplit(":", 1)[1])
    return default


def main(argv) -> int:
    args = list(argv)
    port = None
    if "--port" in args:
        index = args.index("--port")
        port = int(args[index + 1])
        del args[index : index + 2]
    role, words = (args[0], []) if args else detect()
    try:
        if role == "web":
            url = f"http://127.0.0.1:{port or bind_port(words)}/health"
            with urllib.request.urlopen(url, timeout=4) as response:
                if response.status != 200:
                    raise RuntimeError(f"{url} answered {response.status}")
        elif role == "bot":
            path = os.environ.get("BOT_HEARTBEAT_FILE", "/tmp/bot.heartbeat")
            limit = float(os.environ.get("BOT_HEARTBEAT_MAX_AGE", int(os.environ.get("BOT_POLL_TIMEOUT", "25")) + 60))
            age = time.time() - os.path.getmtime(path)
            if age > limit:
                raise RuntimeError(f"{path} is {age:.0f}s old (limit {limit:.0f}s)")
        else:
            print("unhealthy: no gunicorn or bot.py process found" if role is None else f"unknown role {role!r}", file=sys.stderr)
            return 1 if role is None else 2
    except Exception as error:
        print(f"unhealthy ({role}): {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

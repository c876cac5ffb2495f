"""`sample-app COMMAND`: one image, several processes.

    sample-app web                      aiohttp server on 0.0.0.0:$PORT (default CMD of the image)
    sample-app migrate [--check]        apply pending schema migrations / exit 1 when some are pending
    sample-app worker                   process queued jobs
    sample-app scheduler                queue a `tick` job every $SCHEDULE_SECONDS
    sample-app collectstatic            copy static assets into $STATIC_ROOT
    sample-app healthcheck ROLE         exit 0/1; ROLE is web, worker or scheduler
    sample-app version                  print the application version

Exit codes: 0 success, 1 failure (unhealthy, pending migrations, database error), 2 bad configuration.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

from sample_app import __version__

log = logging.getLogger("sample_app")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sample-app", description="Sample platform application.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("web", help="serve HTTP and WebSocket on 0.0.0.0:$PORT")
    migrate = sub.add_parser("migrate", help="apply pending schema migrations")
    migrate.add_argument("--check", action="store_true", help="apply nothing; exit 1 when migrations are pending")
    migrate.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                         help="retry connecting to the database for up to SECONDS first (default 0)")
    sub.add_parser("worker", help="process queued jobs")
    sub.add_parser("scheduler", help="queue a tick job every $SCHEDULE_SECONDS")
    sub.add_parser("collectstatic", help="copy static assets into $STATIC_ROOT")
    health = sub.add_parser("healthcheck", help="exit 0 when the given process is healthy")
    health.add_argument("role", choices=("web", "worker", "scheduler"))
    sub.add_parser("version", help="print the application version")
    return parser


def _migrate(check: bool, wait: float) -> int:
    import psycopg2

    from sample_app import migrations, settings
    from sample_app.db import Database, short_error

    config = settings.database()
    db = Database(config, "sample-app-migrate", connect_timeout=5)
    deadline = time.monotonic() + wait
    while True:
        try:
            db.ping()
            break
        except psycopg2.OperationalError as error:
            if time.monotonic() >= deadline:
                log.error("migrate: cannot connect to the database (%s): %s", config.describe(), short_error(error))
                return 1
            log.info("migrate: database not reachable yet (%s); retrying", short_error(error))
            time.sleep(1)
    try:
        if check:
            todo = migrations.pending(db)
            if todo:
                print(f"{len(todo)} migration(s) pending: {', '.join(m.label for m in todo)}", flush=True)
                return 1
            print(f"no migrations pending (schema at version {migrations.LATEST_VERSION})", flush=True)
            return 0
        log.info("migrate: database %s", config.describe())
        applied = migrations.apply(db)
    except psycopg2.Error as error:
        log.error("migrate: failed, nothing applied: %s", short_error(error))
        return 1
    finally:
        db.close()
    for migration in applied:
        print(f"applied {migration.label}", flush=True)
    if not applied:
        print(f"nothing to apply (schema at version {migrations.LATEST_VERSION})", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "version":
        print(__version__)
        return 0
    if args.command == "healthcheck":
        from sample_app import healthcheck, settings

        try:
            return healthcheck.run(args.role)
        except settings.ConfigError as error:
            print(f"{args.role}: UNHEALTHY: configuration error: {error}")
            return 1

    from sample_app import runtime, settings

    runtime.setup_logging()
    try:
        if args.command == "web":
            from sample_app import web

            return web.run()
        if args.command == "migrate":
            return _migrate(args.check, args.wait)
        if args.command == "worker":
            from sample_app import worker

            return worker.run()
        if args.command == "scheduler":
            from sample_app import scheduler

            return scheduler.run()
        if args.command == "collectstatic":
            from sample_app import collectstatic

            return collectstatic.run()
    except settings.ConfigError as error:
        log.error("sample-app %s: configuration error: %s", args.command, error)
        return 2
    raise AssertionError(args.command)


if __name__ == "__main__":
    sys.exit(main())

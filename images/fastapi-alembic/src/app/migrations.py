"""
Migration state and the "no pending migrations" probe (alembic 1.8 in Debian bookworm has no `alembic check`):

    python3 -m src.app.migrations check     exit 0 when the database is at head and matches the models,
                                            1 when revisions are pending or the models differ, 2 on bad config
    python3 -m src.app.migrations current   prints the database revision and the head

Migrations themselves run with the alembic CLI: `alembic upgrade head` (ALEMBIC_CONFIG points at
/app/src/alembic.ini, so it works from any directory; `cd /app/src && alembic upgrade head` works too).
"""
import os
import sys

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

ALEMBIC_INI = os.environ.get("ALEMBIC_CONFIG", os.path.join(os.path.dirname(os.path.dirname(__file__)), "alembic.ini"))


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(Config(ALEMBIC_INI))


def state(connection) -> dict:
    script = script_directory()
    heads = sorted(script.get_heads())
    current = sorted(MigrationContext.configure(connection).get_current_heads())
    pending = []
    if current != heads:
        for head in heads:
            for revision in script.iterate_revisions(head, tuple(current) or "base"):
                pending.append(revision.revision)
    return {"current": current, "heads": heads, "pending": sorted(set(pending) - set(current))}


def model_differences(connection) -> list:
    from .models import Base

    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, Base.metadata)


def main(argv) -> int:
    from sqlalchemy import create_engine

    from .settings import settings_or_exit

    command = argv[0] if argv else "check"
    if command not in ("check", "current"):
        print("usage: python3 -m src.app.migrations check|current", file=sys.stderr)
        return 2
    settings = settings_or_exit("migrations")
    engine = create_engine(settings.database_url, connect_args={"connect_timeout": settings.db_connect_timeout}, future=True)
    try:
        with engine.connect() as connection:
            found = state(connection)
            print(f"database revision: {', '.join(found['current']) or '(none)'}; head: {', '.join(found['heads'])}")
            if command == "current":
                return 0
            if found["pending"]:
                print(f"pending migrations: {', '.join(found['pending'])}")
                return 1
            differences = model_differences(connection)
            if differences:
                print(f"the models differ from the database schema: {differences}")
                return 1
            print("no pending migrations")
            return 0
    except Exception as error:
        print(f"cannot read the migration state: {error.__class__.__name__}: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

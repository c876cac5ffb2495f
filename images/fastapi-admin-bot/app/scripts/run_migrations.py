#!/usr/bin/env python3
"""
Database migrations of RecruitSmart (alembic, revisions in backend/migrations/versions):

    python3 scripts/run_migrations.py            apply every pending revision (idempotent), exit 0 on success
    python3 scripts/run_migrations.py --check    exit 0 when the database is at head and matches the models,
                                                 1 when a revision is pending (the "no pending migrations" probe)

Exit 2 on a configuration error (one line per problem, e.g. SQLite or a missing REDIS_URL in production).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from alembic import command  # noqa: E402
from alembic.autogenerate import compare_metadata  # noqa: E402
from alembic.config import Config  # noqa: E402
from alembic.runtime.migration import MigrationContext  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402

from backend.core.settings import settings_or_exit  # noqa: E402

ALEMBIC_INI = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "alembic.ini")
LINE = "=" * 60


def _location(url: str) -> str:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return f"{parsed.host}:{parsed.port or 5432}/{parsed.database}"


def check(settings) -> int:
    from backend.core.models import Base

    script = ScriptDirectory.from_config(Config(ALEMBIC_INI))
    heads = set(script.get_heads())
    engine = create_engine(settings.database_url, connect_args={"connect_timeout": settings.db_connect_timeout}, future=True)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            current = set(context.get_current_heads())
            print(f"database revision: {', '.join(sorted(current)) or '(none)'}; head: {', '.join(sorted(heads))}")
            if current != heads:
                print("pending migrations")
                return 1
            differences = compare_metadata(context, Base.metadata)
            if differences:
                print(f"the models differ from the database schema: {differences}")
                return 1
    except Exception as error:
        print(f"cannot read the migration state: {error.__class__.__name__}: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print("no pending migrations")
    return 0


def main(argv) -> int:
    # DATA_DIR need not be mounted for a migration; everything else is checked as the app checks it
    settings = settings_or_exit("run_migrations", check_data_dir=False)
    if "--check" in argv:
        return check(settings)
    print(LINE)
    print("Database Migration Script")
    print(LINE)
    print(f"Database URL: {_location(settings.database_url)}")
    print("Running migrations...")
    try:
        command.upgrade(Config(ALEMBIC_INI), "head")
    except Exception as error:
        print(f"Migrations failed: {error.__class__.__name__}: {error}", file=sys.stderr)
        return 1
    print("Migrations completed successfully")
    print(LINE)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Versioned schema migrations, recorded in `schema_migrations` (like alembic's version table).

`apply()` runs every pending migration in ONE transaction that first takes a transaction-scoped advisory
lock, so two `sample-app migrate` runs started together are safe: the second waits for the first, then
finds nothing to do. Either all pending migrations are applied or none is (PostgreSQL DDL is
transactional). Never edit a released migration; add a new version instead.
"""

from __future__ import annotations

import dataclasses
import logging

from sample_app.db import Database

log = logging.getLogger(__name__)

# pg_advisory_xact_lock key shared by every `migrate` run against the same database.
ADVISORY_LOCK_KEY = 0x5A4D_1647  # "sample-app migrations"
# How long a run waits for another run's lock before giving up with an error.
LOCK_TIMEOUT = "120s"


@dataclasses.dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def label(self) -> str:
        return f"{self.version:04d}_{self.name}"


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "create_jobs",
        """
        CREATE TABLE jobs (
            id          bigserial PRIMARY KEY,
            kind        text        NOT NULL DEFAULT 'job',
            payload     text        NOT NULL,
            status      text        NOT NULL DEFAULT 'queued',
            result      text,
            created_at  timestamptz NOT NULL DEFAULT now()
        );
        """,
    ),
    Migration(
        2,
        "jobs_worker_finished_at_status_index",
        """
        ALTER TABLE jobs ADD COLUMN worker text;
        ALTER TABLE jobs ADD COLUMN finished_at timestamptz;
        ALTER TABLE jobs ADD CONSTRAINT jobs_status_check CHECK (status IN ('queued', 'done', 'failed'));
        CREATE INDEX jobs_status_created_at_idx ON jobs (status, created_at);
        """,
    ),
)
LATEST_VERSION = MIGRATIONS[-1].version

CREATE_VERSION_TABLE = """
    CREATE TABLE IF NOT EXISTS schema_migrations (
        version     integer     PRIMARY KEY,
        name        text        NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT now()
    )
"""


def _applied_versions(cur) -> set[int]:
    cur.execute("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
    if not cur.fetchone()["present"]:
        return set()
    cur.execute("SELECT version FROM schema_migrations")
    return {row["version"] for row in cur.fetchall()}


def pending(db: Database) -> list[Migration]:
    """Migrations not yet applied (read-only; takes no lock)."""
    applied = db.run(_applied_versions)
    unknown = sorted(v for v in applied if v > LATEST_VERSION)
    if unknown:
        log.warning("the database has schema versions this release does not know: %s (a newer release ran)", unknown)
    return [m for m in MIGRATIONS if m.version not in applied]


def apply(db: Database) -> list[Migration]:
    """Applies every pending migration under the advisory lock; returns what it applied (empty: up to date)."""

    def work(cur) -> list[Migration]:
        cur.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (ADVISORY_LOCK_KEY,))
        cur.execute(CREATE_VERSION_TABLE)
        applied = _applied_versions(cur)
        todo = [m for m in MIGRATIONS if m.version not in applied]
        for migration in todo:
            log.info("applying %s", migration.label)
            cur.execute(migration.sql)
            cur.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)", (migration.version, migration.name)
            )
        return todo

    return db.run(work)

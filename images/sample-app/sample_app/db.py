"""PostgreSQL access with psycopg2: a tiny thread-safe pool whose reused connections are pinged first.

After a database restart every pooled connection is dead; a reused connection is checked with `SELECT 1`
(as Django's CONN_HEALTH_CHECKS does) and silently replaced, so the first request after a restart does
not fail.
"""

from __future__ import annotations

import logging
import threading
from typing import Callable, TypeVar

import psycopg2
import psycopg2.extensions
import psycopg2.extras

from sample_app.settings import DatabaseConfig

log = logging.getLogger(__name__)
T = TypeVar("T")

# Errors that mean "the database is not reachable or the connection broke", as opposed to SQL errors.
CONNECTION_ERRORS = (psycopg2.OperationalError, psycopg2.InterfaceError)


class Database:
    def __init__(self, config: DatabaseConfig, application_name: str, max_idle: int = 4, connect_timeout: int = 3):
        self.config = config
        self.application_name = application_name
        self.max_idle = max_idle
        self.connect_timeout = connect_timeout
        self._idle: list[psycopg2.extensions.connection] = []
        self._lock = threading.Lock()

    def connect(self) -> psycopg2.extensions.connection:
        return psycopg2.connect(
            **self.config.connect_kwargs(),
            connect_timeout=self.connect_timeout,
            application_name=self.application_name,
            # a dead peer (paused container, lost network) is detected in seconds, not minutes
            keepalives=1,
            keepalives_idle=10,
            keepalives_interval=5,
            keepalives_count=3,
            tcp_user_timeout=10000,
        )

    def _checkout(self) -> psycopg2.extensions.connection:
        while True:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None:
                return self.connect()
            try:
                with conn.cursor() as cur:
                    cur.execute("SELECT 1")
                conn.rollback()
                return conn
            except CONNECTION_ERRORS:
                log.info("dropping a pooled database connection that no longer works")
                conn.close()

    def _checkin(self, conn: psycopg2.extensions.connection) -> None:
        if conn.closed or conn.get_transaction_status() != psycopg2.extensions.TRANSACTION_STATUS_IDLE:
            conn.close()
            return
        with self._lock:
            if len(self._idle) < self.max_idle:
                self._idle.append(conn)
                return
        conn.close()

    def run(self, work: Callable[[psycopg2.extras.RealDictCursor], T]) -> T:
        """Runs `work(cursor)` in one transaction: committed when it returns, rolled back when it raises."""
        conn = self._checkout()
        try:
            with conn:  # commit / rollback
                with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
                    result = work(cur)
        except BaseException:
            if not conn.closed:
                try:
                    conn.rollback()
                except CONNECTION_ERRORS:
                    pass
            conn.close()
            raise
        self._checkin(conn)
        return result

    def ping(self) -> None:
        self.run(lambda cur: cur.execute("SELECT 1"))

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


def short_error(error: BaseException) -> str:
    """First line of an error, for logs and health responses (libpq messages carry no password)."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".rstrip(": ")

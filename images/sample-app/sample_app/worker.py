"""The worker process: BLPOP jobs off the queue, do them, record the result in PostgreSQL.

A job whose database write fails (database down, schema not migrated yet) goes back to the head of the
queue and the worker backs off, so nothing is lost while PostgreSQL restarts. SIGTERM lets the current
job finish; the BLPOP timeout bounds how long the worker takes to notice.
"""

from __future__ import annotations

import datetime
import json
import logging
import socket

import psycopg2
import redis

from sample_app import __version__, jobs, settings
from sample_app.db import Database, short_error
from sample_app.runtime import stop_event

log = logging.getLogger(__name__)

BLPOP_TIMEOUT_SECONDS = 2
MAX_BACKOFF_SECONDS = 30


def result_for(kind: str, payload: str) -> str:
    if kind == "tick":
        return f"tick handled at {datetime.datetime.now(datetime.timezone.utc).isoformat()}"
    return payload[::-1]


def process(db: Database, message: dict, hostname: str) -> None:
    job_id = int(message["id"])
    kind = str(message.get("kind", "job"))
    result = result_for(kind, str(message.get("payload", "")))

    def work(cur):
        cur.execute(
            "UPDATE jobs SET status = 'done', result = %s, worker = %s, finished_at = now() WHERE id = %s",
            (result, hostname, job_id),
        )
        return cur.rowcount

    if db.run(work) == 0:
        log.warning("job %s: no such row; dropped", job_id)
    else:
        log.info("job %s (%s): done", job_id, kind)


def run() -> int:
    db_config = settings.database()
    broker_config = settings.broker()
    hostname = socket.gethostname()
    stop = stop_event()
    # socket timeout above the BLPOP timeout, so a blocking pop is not mistaken for a dead connection
    broker = jobs.redis_client(broker_config, socket_timeout=BLPOP_TIMEOUT_SECONDS + 5)
    db = Database(db_config, "sample-app-worker")
    log.info("worker %s on %s: database %s, broker %s, queue %s", __version__, hostname, db_config.describe(),
             broker_config.describe(), jobs.QUEUE_KEY)
    heartbeat = jobs.Heartbeat(broker, "worker", stop)
    heartbeat.start()

    backoff = 1.0
    broker_ok = True
    while not stop.is_set():
        try:
            item = broker.blpop([jobs.QUEUE_KEY], timeout=BLPOP_TIMEOUT_SECONDS)
        except redis.RedisError as error:
            if broker_ok:
                log.error("broker: %s; retrying", short_error(error))
            broker_ok = False
            stop.wait(min(backoff, MAX_BACKOFF_SECONDS))
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
            continue
        if not broker_ok:
            log.info("broker: reachable again")
            broker_ok = True
        if item is None:
            continue
        raw = item[1]
        try:
            message = json.loads(raw)
            int(message["id"])
        except (ValueError, TypeError, KeyError):
            log.error("dropping a malformed queue message (%d bytes)", len(raw))
            continue
        try:
            process(db, message, hostname)
            backoff = 1.0
        except psycopg2.Error as error:
            log.error("job %s: %s; putting it back and waiting %.0fs", message["id"], short_error(error), backoff)
            try:
                broker.lpush(jobs.QUEUE_KEY, raw)
            except redis.RedisError as push_error:
                log.error("job %s: could not put it back (%s); it stays queued in the database",
                          message["id"], short_error(push_error))
            stop.wait(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)

    heartbeat.join(timeout=5)
    db.close()
    log.info("worker stopped")
    return 0

"""The job queue: a row in PostgreSQL (the record) plus a message on a Redis list (the work item).

Producers (web, scheduler) insert a `queued` row and RPUSH {"id", "kind", "payload"} onto QUEUE_KEY;
workers BLPOP it, do the work and set the row to `done` with a result. Liveness of workers and the
scheduler is a heartbeat key with a TTL, which `sample-app healthcheck worker|scheduler` looks for.
"""

from __future__ import annotations

import json
import logging
import socket
import threading

import redis

from sample_app.db import Database
from sample_app.settings import RedisConfig

log = logging.getLogger(__name__)

QUEUE_KEY = "sample-app:jobs"
HEARTBEAT_INTERVAL_SECONDS = 5
HEARTBEAT_TTL_SECONDS = 30


def redis_client(config: RedisConfig, socket_timeout: float = 5.0) -> redis.Redis:
    return redis.Redis(
        host=config.host,
        port=config.port,
        db=config.db,
        username=config.username,
        password=config.password,
        ssl=config.ssl,
        socket_connect_timeout=3,
        socket_timeout=socket_timeout,
        health_check_interval=30,
        decode_responses=True,
    )


def enqueue(db: Database, broker: redis.Redis, kind: str, payload: str) -> int:
    """Records the job, then queues it. If the broker refuses, the row is marked failed and the error raised."""
    job_id = db.run(
        lambda cur: (
            cur.execute("INSERT INTO jobs (kind, payload) VALUES (%s, %s) RETURNING id", (kind, payload)),
            cur.fetchone()["id"],
        )[1]
    )
    message = json.dumps({"id": job_id, "kind": kind, "payload": payload})
    try:
        broker.rpush(QUEUE_KEY, message)
    except redis.RedisError as error:
        log.error("job %s: could not queue it (%s); marking it failed", job_id, error)
        db.run(
            lambda cur: cur.execute(
                "UPDATE jobs SET status = 'failed', result = %s WHERE id = %s",
                ("the broker did not accept the job", job_id),
            )
        )
        raise
    return job_id


JOB_COLUMNS = "id, kind, payload, status, result, worker, created_at, finished_at"


def fetch(db: Database, job_id: int) -> dict | None:
    def work(cur):
        cur.execute(f"SELECT {JOB_COLUMNS} FROM jobs WHERE id = %s", (job_id,))
        return cur.fetchone()

    row = db.run(work)
    if row is None:
        return None
    job = dict(row)
    for key in ("created_at", "finished_at"):
        if job[key] is not None:
            job[key] = job[key].isoformat()
    return job


def heartbeat_key(role: str, hostname: str | None = None) -> str:
    return f"sample-app:heartbeat:{role}:{hostname or socket.gethostname()}"


class Heartbeat(threading.Thread):
    """Sets `heartbeat_key(role)` with a TTL every few seconds until stopped; deletes it on a clean stop."""

    def __init__(self, client: redis.Redis, role: str, stop: threading.Event):
        super().__init__(name=f"heartbeat-{role}", daemon=True)
        self.client = client
        self.key = heartbeat_key(role)
        self.stop = stop
        self.healthy: bool | None = None

    def run(self) -> None:
        while True:
            try:
                self.client.set(self.key, "alive", ex=HEARTBEAT_TTL_SECONDS)
                if self.healthy is not True:
                    log.info("heartbeat %s: writing every %ss (ttl %ss)", self.key, HEARTBEAT_INTERVAL_SECONDS,
                             HEARTBEAT_TTL_SECONDS)
                self.healthy = True
            except redis.RedisError as error:
                if self.healthy is not False:
                    log.warning("heartbeat %s: %s", self.key, error)
                self.healthy = False
            if self.stop.wait(HEARTBEAT_INTERVAL_SECONDS):
                break
        try:
            self.client.delete(self.key)
        except redis.RedisError:
            pass

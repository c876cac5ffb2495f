"""The scheduler process (like Celery beat): queues a `tick` job every SCHEDULE_SECONDS.

Ticks fall on multiples of the period since the epoch, and each period's tick is claimed with
SET NX in Redis, so a restarted or accidentally duplicated scheduler does not queue a period twice.
"""

from __future__ import annotations

import datetime
import logging
import socket
import time

import psycopg2
import redis

from sample_app import __version__, jobs, settings
from sample_app.db import Database, short_error
from sample_app.runtime import stop_event

log = logging.getLogger(__name__)


def run() -> int:
    db_config = settings.database()
    broker_config = settings.broker()
    interval = settings.schedule_seconds()
    hostname = socket.gethostname()
    stop = stop_event()
    broker = jobs.redis_client(broker_config)
    db = Database(db_config, "sample-app-scheduler")
    log.info("scheduler %s on %s: a tick every %gs; database %s, broker %s", __version__, hostname, interval,
             db_config.describe(), broker_config.describe())
    heartbeat = jobs.Heartbeat(broker, "scheduler", stop)
    heartbeat.start()

    while not stop.is_set():
        slot = int(time.time() // interval)
        try:
            claimed = broker.set(f"sample-app:scheduler:slot:{slot}", hostname, nx=True, ex=int(interval * 2) + 1)
            if claimed:
                now = datetime.datetime.now(datetime.timezone.utc).isoformat()
                job_id = jobs.enqueue(db, broker, "tick", now)
                log.info("tick: queued job %s", job_id)
            else:
                log.info("tick: this period was already queued by another scheduler")
        except (redis.RedisError, psycopg2.Error) as error:
            log.error("tick: could not queue it: %s", short_error(error))
        stop.wait(max(0.1, (slot + 1) * interval - time.time()))

    heartbeat.join(timeout=5)
    db.close()
    log.info("scheduler stopped")
    return 0

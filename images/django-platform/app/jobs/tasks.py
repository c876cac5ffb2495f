import logging
import socket
import time

from asgiref.sync import async_to_sync
from celery import shared_task
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.utils import timezone

from .models import Job

logger = logging.getLogger(__name__)
JOBS_GROUP = "jobs"


def announce(job: Job) -> None:
    """Pushes the job's new state to every websocket client on /ws/jobs/ (through the Redis channel layer)."""
    async_to_sync(get_channel_layer().group_send)(
        JOBS_GROUP,
        {
            "type": "job.event",
            "job": {"id": str(job.pk), "kind": job.kind, "status": job.status, "result": job.result},
        },
    )


def compute(kind: str, payload: str) -> str:
    if kind == Job.Kind.REVERSE:
        return payload[::-1]
    if kind == Job.Kind.WORDCOUNT:
        return str(len(payload.split()))
    if kind == Job.Kind.SLEEP:
        time.sleep(float(payload or 0))
        return f"slept {float(payload or 0):g}s"
    raise ValueError(f"unknown job kind {kind!r}")


@shared_task(name="jobs.tasks.run_job")
def run_job(job_id: str) -> str:
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, worker=socket.gethostname())
    try:
        result, state = compute(job.kind, job.payload), Job.Status.DONE
    except Exception as error:
        logger.exception("job %s failed", job_id)
        result, state = f"{error.__class__.__name__}: {error}", Job.Status.FAILED
    Job.objects.filter(pk=job_id).update(status=state, result=result, finished_at=timezone.now())
    job.refresh_from_db()
    announce(job)
    logger.info("job %s %s", job_id, state)
    return result


@shared_task(name="jobs.tasks.tick")
def tick() -> str:
    """Scheduled by celery beat (BEAT_TICK_SECONDS); records that beat and a worker both work."""
    now = timezone.now().isoformat()
    cache.set("beat:last-tick", now, timeout=None)
    try:
        cache.incr("beat:ticks")
    except ValueError:
        cache.set("beat:ticks", 1, timeout=None)
    return now

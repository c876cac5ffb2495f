"""The Celery app: `celery -A config worker` and `celery -A config beat`. Settings are the CELERY_* ones."""
import os

from celery import Celery, bootsteps
from celery.beat import PersistentScheduler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Touched by every worker every WORKER_ALIVE_SECONDS from its own event loop: `healthcheck.py worker-alive`
# reads its age, a liveness probe far cheaper than a `celery inspect ping` round trip through the broker.
WORKER_ALIVE_FILE = os.environ.get("WORKER_ALIVE_FILE", "/tmp/celery-worker.alive")


def _touch(path: str) -> None:
    with open(path, "a", encoding="utf-8"):
        pass
    os.utime(path)


class WorkerAliveFile(bootsteps.StartStopStep):
    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.tref = None

    def start(self, worker):
        _touch(WORKER_ALIVE_FILE)
        interval = float(os.environ.get("WORKER_ALIVE_SECONDS", "10"))
        self.tref = worker.timer.call_repeatedly(interval, _touch, (WORKER_ALIVE_FILE,), priority=10)

    def stop(self, worker):
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None


app.steps["worker"].add(WorkerAliveFile)


class HeartbeatScheduler(PersistentScheduler):
    """
    Celery's file-backed scheduler that also touches its schedule file on every tick (at least every
    CELERY_BEAT_MAX_LOOP_INTERVAL seconds). The file's age is the beat healthcheck; the schedule database
    itself is only rewritten every few minutes, and not always visibly (dbm.gnu writes through mmap).
    """

    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        try:
            os.utime(self.schedule_filename)
        except OSError:
            pass  # the database may use another file name (other dbm modules add suffixes); sync creates it
        return interval

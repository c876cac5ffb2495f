"""The Celery app: `celery -A config worker` and `celery -A config beat`. Settings are the CELERY_* ones."""
import os

from celery import Celery
from celery.beat import PersistentScheduler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


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

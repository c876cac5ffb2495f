import uuid

from django.conf import settings
from django.db import models

from config.release import RELEASE


class Job(models.Model):
    """A unit of background work: queued by the API, run by a Celery worker, announced over the websocket."""

    class Kind(models.TextChoices):
        REVERSE = "reverse", "Reverse the text"
        WORDCOUNT = "wordcount", "Count the words"
        SLEEP = "sleep", "Sleep for N seconds (at most 30)"

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    payload = models.TextField(blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    result = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    task_id = models.CharField(max_length=64, blank=True, default="")
    worker = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    # Added in 1.1.0 (migration 0002, nullable: rows of 1.0.0 keep working unchanged).
    if RELEASE >= (1, 1, 0):
        priority = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="jobs_status_created_idx")]

    def __str__(self):
        return f"{self.kind} {self.id} ({self.status})"


class Attachment(models.Model):
    """An uploaded file, stored under MEDIA_ROOT (a volume nginx serves at /media/)."""

    file = models.FileField(upload_to="attachments/%Y/%m/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.file.name

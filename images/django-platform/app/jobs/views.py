from django.db import transaction
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.response import Response

from .models import Attachment, Job
from .serializers import AttachmentSerializer, JobSerializer
from .tasks import run_job


class JobViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """POST /api/jobs/ queues a job on Celery; GET /api/jobs/<id>/ shows its status and result."""

    serializer_class = JobSerializer
    queryset = Job.objects.all()

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = serializer.save(created_by=request.user)
        # Queued once the row is committed, so the worker always finds it.
        transaction.on_commit(lambda: Job.objects.filter(pk=job.pk).update(task_id=run_job.delay(str(job.pk)).id))
        return Response(self.get_serializer(job).data, status=status.HTTP_201_CREATED)


class AttachmentViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """POST /api/attachments/ (multipart, field "file") stores an upload under MEDIA_ROOT."""

    serializer_class = AttachmentSerializer
    queryset = Attachment.objects.all()
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    def perform_create(self, serializer):
        upload = self.request.data.get("file")
        serializer.save(uploaded_by=self.request.user, size=getattr(upload, "size", 0))

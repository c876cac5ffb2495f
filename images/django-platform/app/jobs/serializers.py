from rest_framework import serializers

from config.release import RELEASE

from .models import Attachment, Job

JOB_FIELDS = ["id", "kind", "payload", "status", "result", "worker", "created_at", "finished_at"]
if RELEASE >= (1, 1, 0):
    JOB_FIELDS.append("priority")


class JobSerializer(serializers.ModelSerializer):
    class Meta:
        model = Job
        fields = JOB_FIELDS
        read_only_fields = ["id", "status", "result", "worker", "created_at", "finished_at"]

    def validate(self, attrs):
        if attrs.get("kind") == Job.Kind.SLEEP:
            try:
                seconds = float(attrs.get("payload") or 0)
            except ValueError:
                raise serializers.ValidationError({"payload": "a sleep job's payload is a number of seconds"})
            if not 0 <= seconds <= 30:
                raise serializers.ValidationError({"payload": "a sleep job sleeps 0 to 30 seconds"})
        return attrs


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "file", "size", "uploaded_at"]
        read_only_fields = ["id", "size", "uploaded_at"]

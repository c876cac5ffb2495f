from django.contrib import admin

from .models import Attachment, Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "status", "created_at", "finished_at", "worker")
    list_filter = ("status", "kind")
    search_fields = ("id", "payload")
    readonly_fields = ("task_id", "worker", "created_at", "finished_at")


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("file", "size", "uploaded_by", "uploaded_at")

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from .tasks import JOBS_GROUP


class JobsConsumer(AsyncJsonWebsocketConsumer):
    """
    /ws/jobs/ (and /ws/): receives {"type": "job.finished" ...} messages when a worker finishes a job.
    Sends {"type": "hello"} on connect and answers {"type": "ping"} with {"type": "pong"}.
    """

    async def connect(self):
        await self.channel_layer.group_add(JOBS_GROUP, self.channel_name)
        await self.accept()
        user = self.scope.get("user")
        await self.send_json(
            {
                "type": "hello",
                "version": settings.APP_VERSION,
                "user": user.get_username() if user is not None and user.is_authenticated else None,
            }
        )

    async def disconnect(self, code):
        await self.channel_layer.group_discard(JOBS_GROUP, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def job_event(self, event):
        job = event["job"]
        kind = "job.finished" if job["status"] in ("done", "failed") else "job.updated"
        await self.send_json({"type": kind, "job": job})

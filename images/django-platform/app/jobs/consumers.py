import uuid

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from .tasks import JOBS_GROUP


class JobsConsumer(AsyncJsonWebsocketConsumer):
    """
    /ws/jobs/ (and /ws/): receives {"type": "job.finished" ...} messages when a worker finishes a job.
    Sends {"type": "hello"} on connect and answers {"type": "ping"} with {"type": "pong"}.
    {"type": "probe", "text": ...} (the platform's post-deploy smoke check) is answered through the channel layer:
    the consumer sends it to a group of its own and answers {"type": "probe.reply", "text": ...} only when it comes
    back, so a channel layer that cannot reach Redis fails the probe instead of answering from memory.
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
        if not isinstance(content, dict):
            return
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})
        elif content.get("type") == "probe":
            # A group with only this socket in it: the same group_send path a worker's job events take.
            group = f"probe-{uuid.uuid4().hex}"
            await self.channel_layer.group_add(group, self.channel_name)
            await self.channel_layer.group_send(group, {"type": "probe.reply", "text": str(content.get("text", ""))})
            await self.channel_layer.group_discard(group, self.channel_name)

    async def probe_reply(self, event):
        await self.send_json({"type": "probe.reply", "text": event["text"], "via": "channel layer"})

    async def job_event(self, event):
        job = event["job"]
        kind = "job.finished" if job["status"] in ("done", "failed") else "job.updated"
        await self.send_json({"type": kind, "job": job})

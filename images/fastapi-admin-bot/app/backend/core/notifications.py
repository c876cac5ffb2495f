"""
The notification broker between the admin UI and the bot (NOTIFICATION_BROKER):

  redis   Redis pub/sub on REDIS_URL: every admin worker and the bot see every event, across containers.
  memory  in-process only (development): events never leave the process, so the bot and the admin UI do not
          hear each other. Production refuses it.

Events are JSON objects with a "type". Pub/sub is for immediacy; the database stays the record, so the bot
also delivers broadcasts it missed (see backend.apps.bot.worker).
"""
import asyncio
import json
import logging
from typing import AsyncIterator, Dict, List

import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("recruitsmart.notifications")

ADMIN_CHANNEL = "recruitsmart:notifications:admin"  # bot -> admin: message.received, broadcast.sent
BOT_CHANNEL = "recruitsmart:notifications:bot"  # admin -> bot: broadcast.created


class RedisBroker:
    def __init__(self, url: str):
        self.url = url
        self._client = aioredis.from_url(url, socket_connect_timeout=5, health_check_interval=30)

    async def publish(self, channel: str, event: dict) -> int:
        return await self._client.publish(channel, json.dumps(event))

    async def subscribe(self, channel: str) -> AsyncIterator[dict]:
        """Events on `channel`, forever; reconnects (with a logged warning) when Redis goes away."""
        delay = 1.0
        while True:
            pubsub = self._client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(channel)
                logger.info("subscribed to %s", channel)
                delay = 1.0
                while True:
                    message = await pubsub.get_message(timeout=30.0)
                    if message is None:
                        continue  # idle; health_check_interval pings the connection
                    try:
                        yield json.loads(message["data"])
                    except (TypeError, ValueError):
                        logger.info("ignored a message on %s that is not JSON", channel)
            except (RedisConnectionError, RedisTimeoutError, OSError) as error:
                logger.warning("lost the subscription to %s (%s); retrying in %.0fs", channel, error.__class__.__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
            finally:
                try:
                    await pubsub.close()
                except Exception:
                    pass

    async def ping(self) -> bool:
        return await self._client.ping()

    async def close(self) -> None:
        await self._client.close()


class MemoryBroker:
    def __init__(self):
        self._queues: Dict[str, List[asyncio.Queue]] = {}

    async def publish(self, channel: str, event: dict) -> int:
        queues = self._queues.get(channel, [])
        for queue in queues:
            queue.put_nowait(event)
        return len(queues)

    async def subscribe(self, channel: str) -> AsyncIterator[dict]:
        queue: asyncio.Queue = asyncio.Queue()
        self._queues.setdefault(channel, []).append(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._queues[channel].remove(queue)

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        pass


def make_broker(settings):
    if settings.notification_broker == "redis":
        return RedisBroker(settings.redis_url)
    return MemoryBroker()

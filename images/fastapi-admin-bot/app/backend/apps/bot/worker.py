"""
The Telegram bot worker (`python3 bot.py`): long-polls getUpdates on TELEGRAM_API_BASE_URL, stores every
candidate message in PostgreSQL and announces it to the admin UI on the notification broker; delivers the admin's
broadcasts (heard on the broker, or found pending in the database) with sendMessage.

Liveness: the poll loop touches BOT_HEARTBEAT_FILE (default /tmp/bot.heartbeat) after every getUpdates answer,
at least every BOT_POLL_TIMEOUT seconds; `python3 /app/healthcheck.py bot` checks its age.
"""
import asyncio
import logging
import os
import signal
import socket
from datetime import datetime, timezone
from typing import Optional

import aiohttp
import redis.asyncio as aioredis
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError

from backend.core import logging_setup
from backend.core.db import session_scope
from backend.core.models import Broadcast, Candidate, Message
from backend.core.notifications import ADMIN_CHANNEL, BOT_CHANNEL, make_broker
from backend.core.release import VERSION
from backend.core.settings import Settings, settings_or_exit

from .telegram import TelegramAPI, TelegramError

logger = logging.getLogger("recruitsmart.bot")
OFFSET_KEY = "recruitsmart:bot:update-offset"
PENDING_SWEEP_SECONDS = 30
WELCOME = "Welcome, {name}! You are registered with RecruitSmart. We will message you about interview slots here."


def _now() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


class Bot:
    def __init__(self, settings: Settings, api: TelegramAPI):
        self.settings = settings
        self.api = api
        self.broker = make_broker(settings)
        self.redis = aioredis.from_url(settings.redis_url, socket_connect_timeout=5) if settings.redis_url else None
        self._offset: Optional[int] = None
        self._deliver_lock = asyncio.Lock()

    # --- heartbeat -------------------------------------------------------------------------------------------
    def beat(self) -> None:
        path = self.settings.bot_heartbeat_file
        with open(path, "a", encoding="utf-8"):
            pass
        os.utime(path)

    # --- inbound: Telegram -> database -> admin --------------------------------------------------------------
    async def load_offset(self) -> None:
        if self.redis is not None:
            value = await self.redis.get(OFFSET_KEY)
            self._offset = int(value) if value else None

    async def save_offset(self) -> None:
        if self.redis is not None and self._offset is not None:
            await self.redis.set(OFFSET_KEY, self._offset)

    def store_inbound(self, update: dict) -> Optional[dict]:
        message = update.get("message") or {}
        chat, sender, text = message.get("chat") or {}, message.get("from") or {}, message.get("text")
        if "id" not in chat or text is None:
            return None
        with session_scope() as session:
            session.execute(
                insert(Candidate.__table__)
                .values(telegram_chat_id=chat["id"], username=sender.get("username"), first_name=sender.get("first_name"))
                .on_conflict_do_nothing(index_elements=["telegram_chat_id"])
            )
            candidate = session.execute(select(Candidate).where(Candidate.telegram_chat_id == chat["id"])).scalar_one()
            candidate.last_message_at = func.now()
            row = Message(
                candidate_id=candidate.id,
                direction="in",
                text=text,
                telegram_update_id=update["update_id"],
                telegram_message_id=message.get("message_id"),
            )
            session.add(row)
            try:
                session.flush()
            except IntegrityError:  # this update was stored before (an unconfirmed offset after a restart)
                session.rollback()
                return None
            return {
                "type": "message.received",
                "message_id": row.id,
                "candidate_id": candidate.id,
                "chat_id": chat["id"],
                "first_name": sender.get("first_name"),
                "text": text,
                "at": _now(),
            }

    def store_outbound(self, chat_id: int, text: str, sent: dict, broadcast_id: Optional[int] = None) -> None:
        with session_scope() as session:
            candidate = session.execute(select(Candidate).where(Candidate.telegram_chat_id == chat_id)).scalar_one()
            session.add(
                Message(
                    candidate_id=candidate.id,
                    direction="out",
                    text=text,
                    telegram_message_id=(sent or {}).get("message_id"),
                    broadcast_id=broadcast_id,
                )
            )

    async def handle(self, update: dict) -> None:
        event = await asyncio.to_thread(self.store_inbound, update)
        if event is None:
            return
        await self.broker.publish(ADMIN_CHANNEL, event)
        logger.info("message %s from chat %s stored and announced", event["message_id"], event["chat_id"])
        if event["text"].strip().split(" ")[0] == "/start":
            reply = WELCOME.format(name=event.get("first_name") or "there")
            sent = await self.api.send_message(event["chat_id"], reply)
            await asyncio.to_thread(self.store_outbound, event["chat_id"], reply, sent)

    async def poll(self) -> None:
        await self.load_offset()
        delay = 1.0
        while True:
            try:
                updates = await self.api.get_updates(self._offset, self.settings.bot_poll_timeout)
                delay = 1.0
            except TelegramError as error:
                logger.warning("getUpdates failed (%s); retrying in %.0fs", error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            self.beat()
            for update in updates or []:
                await self.handle(update)
                self._offset = int(update["update_id"]) + 1
                await self.save_offset()

    # --- outbound: admin -> broker -> Telegram ---------------------------------------------------------------
    def claim_broadcast(self, broadcast_id: Optional[int]):
        """The pending broadcast (a given one, or the oldest), its text and recipients; marks it sending."""
        with session_scope() as session:
            query = select(Broadcast).where(Broadcast.status == "pending").order_by(Broadcast.id).limit(1)
            if broadcast_id is not None:
                query = query.where(Broadcast.id == broadcast_id)
            row = session.execute(query.with_for_update(skip_locked=True)).scalar_one_or_none()
            if row is None:
                return None
            row.status = "sending"
            chats = session.execute(select(Candidate.telegram_chat_id).order_by(Candidate.id)).scalars().all()
            return row.id, row.text, list(chats)

    def finish_broadcast(self, broadcast_id: int, recipients: int) -> None:
        with session_scope() as session:
            session.execute(
                update(Broadcast)
                .where(Broadcast.id == broadcast_id)
                .values(status="sent", sent_at=func.now(), recipients=recipients)
            )

    async def deliver(self, broadcast_id: Optional[int] = None) -> bool:
        async with self._deliver_lock:
            claimed = await asyncio.to_thread(self.claim_broadcast, broadcast_id)
            if claimed is None:
                return False
            row_id, text, chats = claimed
            delivered = 0
            for chat_id in chats:
                try:
                    sent = await self.api.send_message(chat_id, text)
                except TelegramError as error:
                    logger.warning("broadcast %s to chat %s failed: %s", row_id, chat_id, error)
                    continue
                await asyncio.to_thread(self.store_outbound, chat_id, text, sent, row_id)
                delivered += 1
            await asyncio.to_thread(self.finish_broadcast, row_id, delivered)
            await self.broker.publish(ADMIN_CHANNEL, {"type": "broadcast.sent", "id": row_id, "recipients": delivered, "at": _now()})
            logger.info("broadcast %s sent to %s of %s candidate(s)", row_id, delivered, len(chats))
            return True

    async def listen(self) -> None:
        async for event in self.broker.subscribe(BOT_CHANNEL):
            if event.get("type") == "broadcast.created":
                await self.deliver(int(event["id"]))

    async def sweep(self) -> None:
        """Delivers broadcasts whose notification this process missed (it was down, or Redis was)."""
        while True:
            while await self.deliver():
                pass
            await asyncio.sleep(PENDING_SWEEP_SECONDS)

    async def close(self) -> None:
        await self.broker.close()
        if self.redis is not None:
            await self.redis.close()


async def run(settings: Settings) -> int:
    if not settings.bot_enabled:
        logger.info("BOT_ENABLED=0: the bot does not poll; idling with a heartbeat")
        while True:
            open(settings.bot_heartbeat_file, "a").close()
            os.utime(settings.bot_heartbeat_file)
            await asyncio.sleep(10)
    if not settings.bot_token:
        logger.error("TELEGRAM_BOT_TOKEN (or BOT_TOKEN) is not set")
        return 2
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=10)
    async with aiohttp.ClientSession(timeout=timeout, headers={"User-Agent": f"recruitsmart-bot/{VERSION}"}) as http:
        api = TelegramAPI(settings.telegram_api_base_url, settings.bot_token, http)
        delay = 1.0
        while True:
            try:
                me = await api.get_me()
                break
            except TelegramError as error:
                if error.code == 401:
                    logger.error("getMe: the bot token was refused (401 Unauthorized)")
                    return 2
                logger.warning("getMe failed (%s); retrying in %.0fs", error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
        logger.info("BOOT: using bot id=%s, username=@%s (version %s, host %s)", me.get("id"), me.get("username"), VERSION, socket.gethostname())
        bot = Bot(settings, api)
        bot.beat()
        tasks = [asyncio.create_task(coroutine) for coroutine in (bot.poll(), bot.listen(), bot.sweep())]
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        stopper = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait(tasks + [stopper], return_when=asyncio.FIRST_COMPLETED)
        for task in tasks + [stopper]:
            task.cancel()
        await asyncio.gather(*tasks, stopper, return_exceptions=True)
        await bot.close()
        if stopper in done:
            logger.info("bot stopped")
            return 0
        for task in done:
            if task.exception() is not None:
                logger.error("bot task failed", exc_info=task.exception())
        return 1


def main() -> int:
    settings = settings_or_exit("bot")
    logging_setup.configure(settings.log_level, settings.log_json)
    return asyncio.run(run(settings))

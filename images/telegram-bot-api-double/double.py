#!/usr/bin/env python3
"""
TEST DOUBLE of the Telegram Bot API -- NOT Telegram. This machine cannot reach api.telegram.org, so the bot
worker is tested against this stand-in, which answers the few methods the bot uses with the same wire format:

  /bot<token>/getMe         the bot's User object
  /bot<token>/getUpdates    offset, limit (1-100), timeout (0-50 s long poll), allowed_updates; a newer call
                            ends a waiting one with 409 Conflict, as Telegram does
  /bot<token>/sendMessage   chat_id, text (1-4096 characters); 400 "chat not found" for a chat that never wrote
  other methods             404 Not Found;  a token of the wrong form (or not in DOUBLE_BOT_TOKENS) -> 401

Parameters come as a query string, a form or a JSON body, like the real API. Test-only endpoints (no token
check beyond the form; never part of Telegram):

  POST /test/bot<token>/updates   {"chat_id": 1, "text": "hi", "first_name": "Ann", "username": "ann"}
                                  queues an incoming user message; answers the Update
  GET  /test/bot<token>/sent      messages the bot sent (?chat_id=N to filter)
  POST /test/reset                forgets every update, chat and sent message
  GET  /healthz                   200 "ok"

State lives in memory. Environment: DOUBLE_PORT (8081), DOUBLE_BOT_TOKENS (comma list; default: any token of
Telegram's form), DOUBLE_BOT_USERNAME (recruitsmart_test_bot), LOG_LEVEL (INFO).
"""
import asyncio
import json
import logging
import os
import re
import time
from typing import Dict, List, Optional

from aiohttp import web

TOKEN_FORM = re.compile(r"^(\d{1,20}):[A-Za-z0-9_-]{30,}$")
logger = logging.getLogger("telegram-double")


class BotState:
    def __init__(self, token: str):
        self.bot_id = int(token.split(":", 1)[0])
        self.updates: List[dict] = []
        self.next_update_id = 100_000_001
        self.next_message_id = 1
        self.chats: Dict[int, dict] = {}
        self.sent: List[dict] = []
        self.changed = asyncio.Condition()
        self.poll_generation = 0


class Double:
    def __init__(self, allowed_tokens: Optional[set], username: str):
        self.allowed_tokens = allowed_tokens
        self.username = username
        self.bots: Dict[str, BotState] = {}

    def bot(self, token: str) -> Optional[BotState]:
        if not TOKEN_FORM.match(token) or (self.allowed_tokens is not None and token not in self.allowed_tokens):
            return None
        if token not in self.bots:
            self.bots[token] = BotState(token)
        return self.bots[token]


def ok(result) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def fail(code: int, description: str) -> web.Response:
    return web.json_response({"ok": False, "error_code": code, "description": description}, status=code)


async def parameters(request: web.Request) -> dict:
    params = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except (json.JSONDecodeError, ValueError):
                body = None
            if not isinstance(body, dict):
                raise web.HTTPBadRequest(text="body is not a JSON object")
            params.update(body)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            params.update(dict(await request.post()))
    return params


def integer(params: dict, name: str, default: Optional[int] = None) -> Optional[int]:
    value = params.get(name, default)
    if value is None or value == "":
        return default
    return int(value)


async def api_method(request: web.Request) -> web.Response:
    double: Double = request.app["double"]
    state = double.bot(request.match_info["token"])
    if state is None:
        return fail(401, "Unauthorized")
    try:
        params = await parameters(request)
    except web.HTTPBadRequest:
        return fail(400, "Bad Request: can't parse JSON object")
    method = request.match_info["method"]
    try:
        if method == "getMe":
            return ok({"id": state.bot_id, "is_bot": True, "first_name": "RecruitSmart (test double)",
                       "username": double.username, "can_join_groups": False,
                       "can_read_all_group_messages": False, "supports_inline_queries": False})
        if method == "getUpdates":
            return await get_updates(state, params)
        if method == "sendMessage":
            return send_message(state, params)
    except (TypeError, ValueError) as error:
        return fail(400, f"Bad Request: {error}")
    return fail(404, "Not Found")


async def get_updates(state: BotState, params: dict) -> web.Response:
    offset = integer(params, "offset")
    limit = max(1, min(integer(params, "limit", 100), 100))
    timeout = max(0, min(integer(params, "timeout", 0), 50))
    if offset is not None:
        # an offset confirms every update before it; they are never returned again
        state.updates = [update for update in state.updates if update["update_id"] >= offset]
    async with state.changed:
        state.poll_generation += 1
        generation = state.poll_generation
        state.changed.notify_all()  # a waiting older getUpdates ends with 409
        deadline = time.monotonic() + timeout
        while not state.updates:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                await asyncio.wait_for(state.changed.wait(), timeout=remaining)
            except asyncio.TimeoutError:
                break
            if state.poll_generation != generation:
                return fail(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
        return ok(state.updates[:limit])


def send_message(state: BotState, params: dict) -> web.Response:
    chat_id = integer(params, "chat_id")
    text = params.get("text")
    if chat_id is None:
        return fail(400, "Bad Request: chat_id is empty")
    if not isinstance(text, str) or not text:
        return fail(400, "Bad Request: message text is empty")
    if len(text) > 4096:
        return fail(400, "Bad Request: message is too long")
    chat = state.chats.get(chat_id)
    if chat is None:
        return fail(400, "Bad Request: chat not found")
    message = {
        "message_id": state.next_message_id,
        "from": {"id": state.bot_id, "is_bot": True, "first_name": "RecruitSmart (test double)"},
        "chat": chat,
        "date": int(time.time()),
        "text": text,
    }
    state.next_message_id += 1
    state.sent.append(message)
    logger.info("sendMessage to chat %s (%d characters)", chat_id, len(text))
    return ok(message)


async def inject(request: web.Request) -> web.Response:
    state = request.app["double"].bot(request.match_info["token"])
    if state is None:
        return fail(401, "Unauthorized")
    params = await parameters(request)
    chat_id, text = integer(params, "chat_id"), params.get("text")
    if chat_id is None or not isinstance(text, str) or not text:
        return fail(400, "Bad Request: chat_id and text are required")
    user = {"id": chat_id, "is_bot": False, "first_name": params.get("first_name", "Test"), "username": params.get("username")}
    user = {key: value for key, value in user.items() if value is not None}
    chat = {"id": chat_id, "type": "private", **{key: user[key] for key in ("first_name", "username") if key in user}}
    state.chats[chat_id] = chat
    update = {
        "update_id": state.next_update_id,
        "message": {"message_id": state.next_message_id, "from": user, "chat": chat, "date": int(time.time()), "text": text},
    }
    state.next_update_id += 1
    state.next_message_id += 1
    async with state.changed:
        state.updates.append(update)
        state.changed.notify_all()
    logger.info("test: queued update %s from chat %s", update["update_id"], chat_id)
    return ok(update)


async def sent(request: web.Request) -> web.Response:
    state = request.app["double"].bot(request.match_info["token"])
    if state is None:
        return fail(401, "Unauthorized")
    chat_id = request.query.get("chat_id")
    messages = [m for m in state.sent if chat_id is None or str(m["chat"]["id"]) == chat_id]
    return ok(messages)


async def reset(request: web.Request) -> web.Response:
    request.app["double"].bots.clear()
    return ok(True)


async def healthz(request: web.Request) -> web.Response:
    return web.Response(text="ok\n")


def make_app() -> web.Application:
    tokens = os.environ.get("DOUBLE_BOT_TOKENS", "").strip()
    app = web.Application()
    app["double"] = Double(
        {token.strip() for token in tokens.split(",") if token.strip()} if tokens else None,
        os.environ.get("DOUBLE_BOT_USERNAME", "recruitsmart_test_bot"),
    )
    app.router.add_route("*", "/bot{token}/{method}", api_method)
    app.router.add_post("/test/bot{token}/updates", inject)
    app.router.add_get("/test/bot{token}/sent", sent)
    app.router.add_post("/test/reset", reset)
    app.router.add_get("/healthz", healthz)
    return app


if __name__ == "__main__":
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO").upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    from aiohttp.abc import AbstractAccessLogger

    class AccessLogger(AbstractAccessLogger):
        def log(self, request, response, time_taken):
            path = request.path
            shown = "/bot<token>/" + request.match_info.get("method", "") if path.startswith("/bot") else path
            if path.startswith("/test/bot"):
                shown = "/test/bot<token>/" + path.rsplit("/", 1)[-1]
            self.logger.info("%s %s %s %.3fs", request.method, shown, response.status, time_taken)

    port = int(os.environ.get("DOUBLE_PORT", "8081"))
    logger.info("TEST DOUBLE of the Telegram Bot API (not Telegram) listening on :%d", port)
    web.run_app(make_app(), host="0.0.0.0", port=port, access_log_class=AccessLogger, print=None)

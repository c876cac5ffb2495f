"""A minimal Telegram Bot API client (aiohttp). The token is part of every URL, so URLs are never logged."""
import asyncio
import json
from typing import Any, Optional

import aiohttp


class TelegramError(Exception):
    def __init__(self, method: str, code: Optional[int], description: str):
        super().__init__(f"{method}: {code} {description}")
        self.method, self.code, self.description = method, code, description


class TelegramAPI:
    def __init__(self, base_url: str, token: str, session: aiohttp.ClientSession):
        self._base = f"{base_url.rstrip('/')}/bot{token}"
        self._session = session

    async def call(self, method: str, params: Optional[dict] = None, http_timeout: float = 15.0) -> Any:
        payload = {key: value for key, value in (params or {}).items() if value is not None}
        try:
            async with self._session.post(
                f"{self._base}/{method}", json=payload, timeout=aiohttp.ClientTimeout(total=http_timeout)
            ) as response:
                status = response.status
                try:
                    body = await response.json(content_type=None)
                except (aiohttp.ContentTypeError, json.JSONDecodeError, ValueError):
                    raise TelegramError(method, status, "the answer is not JSON") from None
        except asyncio.TimeoutError:
            raise TelegramError(method, None, f"no answer within {http_timeout:.0f}s") from None
        except aiohttp.ClientError as error:
            # str() of some aiohttp errors contains the URL, and so the token: report the class only
            raise TelegramError(method, None, error.__class__.__name__) from None
        if not isinstance(body, dict) or not body.get("ok"):
            code = body.get("error_code", status) if isinstance(body, dict) else status
            description = body.get("description", "not ok") if isinstance(body, dict) else "not ok"
            raise TelegramError(method, code, description)
        return body.get("result")

    async def get_me(self) -> dict:
        return await self.call("getMe")

    async def get_updates(self, offset: Optional[int], timeout: int) -> list:
        params = {"offset": offset, "timeout": timeout, "allowed_updates": ["message"]}
        return await self.call("getUpdates", params, http_timeout=timeout + 15)

    async def send_message(self, chat_id: int, text: str) -> dict:
        return await self.call("sendMessage", {"chat_id": chat_id, "text": text})

"""A stand-in Telegram Bot API server for tests and the pipeline benchmark.

aiohttp on 127.0.0.1, port 0. It implements the methods wismo calls with Telegram's
request shapes (POST form fields, JSON-encoded values, `/bot<token>/<method>`) and
response shapes (`{"ok": true, "result": ...}`, errors with `error_code`, `description`
and `parameters.retry_after`). getUpdates long-polls a queue; setWebhook remembers the URL
and secret and `post_webhook` delivers to it like Telegram does. Faults (429 with
retry_after, 403, 5xx, any 4xx) are injected per method and optionally per chat.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import aiohttp
from aiohttp import web

from tests.integration.telegram.shapes import (
    BOT_ID,
    BOT_USERNAME,
    Call,
    Fault,
    SentMessage,
    UpdateFactory,
    bot_user,
)

__all__ = ["BOT_ID", "BOT_USERNAME", "BotApiServer", "Call", "Fault", "SentMessage"]


def _decode(value: str) -> Any:
    # PTB JSON-encodes every non-string value; plain strings arrive as they are.
    try:
        return json.loads(value)
    except ValueError:
        return value


async def _parameters(request: web.Request) -> dict[str, Any]:
    """A method's parameters, sent as the Bot API accepts them: a JSON object, or a form
    (URL-encoded or multipart) whose non-string values are JSON-encoded."""
    if request.content_type == "application/json":
        body = await request.json()
        if not isinstance(body, dict):
            return {}
        return {
            key: _decode(value) if isinstance(value, str) else value for key, value in body.items()
        }
    form = await request.post()
    return {key: _decode(str(value)) for key, value in form.items()}


class BotApiServer:
    """Start with `await server.start()`; `server.api_url` is what PTB's base_url needs."""

    def __init__(self, token: str = "123456:TEST-token") -> None:
        self.token = token
        self.calls: list[Call] = []
        self.messages: list[SentMessage] = []
        self.callback_answers: list[dict[str, Any]] = []
        self.webhook: dict[str, Any] | None = None
        self.commands: list[dict[str, Any]] = []
        self.commands_by_language: dict[str, list[dict[str, Any]]] = {}
        self.faults: list[Fault] = []
        self._updates: list[dict[str, Any]] = []
        self.factory = UpdateFactory()
        # Shortcuts: tests build updates through the server they push them to.
        self.message_update = self.factory.message_update
        self.callback_update = self.factory.callback_update
        self._new_update = asyncio.Event()
        self._new_message = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._client: aiohttp.ClientSession | None = None
        self.port = 0
        self._closing = False
        self.on_message: Callable[[SentMessage], None] | None = None
        # A slow network: every answer waits this long (seconds); the server counts the
        # requests it holds at once (`busiest`), so a test sees the bot's concurrency.
        self.latency = 0.0
        self.in_flight = 0
        self.busiest = 0

    # -- lifecycle -------------------------------------------------------------------

    async def start(self) -> BotApiServer:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        self._closing = True
        self._new_update.set()  # release a pending long poll
        if self._client is not None:
            await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # -- building updates, as Telegram shapes them ------------------------------------

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates; returns its update_id."""
        self._updates.append(update)
        self._new_update.set()
        return int(update["update_id"])

    async def post_webhook(
        self, update: dict[str, Any], *, secret: str | None = "use-registered"
    ) -> int:
        """POST an update to the registered webhook, as Telegram does; returns the status."""
        assert self.webhook is not None, "no webhook registered"
        if self._client is None:
            self._client = aiohttp.ClientSession()
        headers = {"Content-Type": "application/json"}
        token = self.webhook.get("secret_token") if secret == "use-registered" else secret
        if token is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = token
        async with self._client.post(
            self.webhook["url"], data=json.dumps(update), headers=headers
        ) as response:
            return response.status

    # -- faults and waiting ----------------------------------------------------------

    def fail(
        self,
        method: str,
        status: int,
        description: str = "",
        *,
        retry_after: int | None = None,
        chat_id: int | str | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` with an error."""
        text = description or {
            403: "Forbidden: bot was blocked by the user",
            429: f"Too Many Requests: retry after {retry_after}",
            400: "Bad Request: chat not found",
        }.get(status, "Internal Server Error" if status >= 500 else "Error")
        self.faults.append(
            Fault(
                method, status, text, retry_after, None if chat_id is None else str(chat_id), times
            )
        )

    def sent_to(self, chat_id: int | str) -> list[SentMessage]:
        return [m for m in self.messages if m.chat_id == str(chat_id)]

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, predicate: Callable[[], bool], within: float = 5.0) -> None:
        """Wait until `predicate()` holds (re-checked whenever the bot sends something)."""
        deadline = time.monotonic() + within
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError("timed out waiting for the bot")
            self._new_message.clear()
            try:
                await asyncio.wait_for(self._new_message.wait(), min(remaining, 0.05))
            except TimeoutError:
                pass

    # -- the API ---------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized")
        method = request.match_info["method"]
        if self.latency and method != "getUpdates":
            self.in_flight += 1
            self.busiest = max(self.busiest, self.in_flight)
            try:
                await asyncio.sleep(self.latency)
            finally:
                self.in_flight -= 1
        params = await _parameters(request)
        self.calls.append(Call(method, params, time.monotonic()))
        fault = self._take_fault(method, params)
        if fault is not None:
            return self._error(fault.status, fault.description, fault.retry_after)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return self._error(404, "Not Found: method not found")
        result = await handler(params)
        if isinstance(result, web.Response):
            return result
        return web.json_response({"ok": True, "result": result})

    def _take_fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        for fault in self.faults:
            if fault.method != method:
                continue
            if fault.chat_id is not None and str(params.get("chat_id")) != fault.chat_id:
                continue
            fault.times -= 1
            if fault.times <= 0:
                self.faults.remove(fault)
            return fault
        return None

    @staticmethod
    def _error(status: int, description: str, retry_after: int | None = None) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return web.json_response(body, status=status)

    async def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if offset:  # confirming: forget everything below the offset
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        deadline = time.monotonic() + timeout
        while not self._updates:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._closing:
                return []
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), remaining)
            except TimeoutError:
                return []
        return self._updates[:limit]

    async def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {
            "url": params["url"],
            "secret_token": params.get("secret_token"),
            "allowed_updates": params.get("allowed_updates"),
        }
        return True

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        return True

    async def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        language = params.get("language_code")
        if language:
            self.commands_by_language[str(language)] = params["commands"]
        else:
            self.commands = params["commands"]
        return True

    def _record(self, message: SentMessage) -> None:
        self.messages.append(message)
        if self.on_message is not None:
            self.on_message(message)
        self._new_message.set()

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any] | web.Response:
        text = str(params.get("text", ""))
        if not text.strip():
            return self._error(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            return self._error(400, "Bad Request: message is too long")
        message = SentMessage(
            chat_id=str(params["chat_id"]),
            message_id=self.factory.next_message_id(),
            text=text,
            parse_mode=params.get("parse_mode"),
            reply_markup=params.get("reply_markup"),
            at=time.monotonic(),
        )
        self._record(message)
        result = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": {"id": int(message.chat_id), "type": "private"},
            "from": bot_user(),
            "text": text,
        }
        if message.reply_markup:
            result["reply_markup"] = message.reply_markup
        return result

    async def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any] | web.Response:
        chat_id, message_id = str(params["chat_id"]), int(params["message_id"])
        for message in self.messages:
            if message.chat_id == chat_id and message.message_id == message_id:
                break
        else:
            return self._error(400, "Bad Request: message to edit not found")
        text = str(params["text"])
        markup = params.get("reply_markup")
        if text == message.text and markup == message.reply_markup:
            return self._error(
                400,
                "Bad Request: message is not modified: specified new message content "
                "and reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        message.edits.append(message.text)
        message.text, message.reply_markup = text, markup
        message.at = time.monotonic()
        self._new_message.set()
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": int(chat_id), "type": "private"},
            "text": text,
            "edit_date": int(time.time()),
        }

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        self.callback_answers.append(params)
        self._new_message.set()
        return True

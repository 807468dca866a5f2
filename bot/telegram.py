"""Telegram wiring: the channel built from the settings, and its webhook endpoint.

`wismo run` starts the channel when WISMO_TELEGRAM_TOKEN is set. In webhook mode Telegram
POSTs updates to `WEBHOOK_PATH` on wismo's HTTP app (put it behind your HTTPS reverse
proxy at WISMO_TELEGRAM_WEBHOOK_URL); a request without the right secret-token header
gets 401 and nothing is processed.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from adapters.telegram import TelegramChannel, TelegramConfig
from adapters.telegram.webhook import Handled
from bot.api.bodies import json_object
from bot.services import Services, shared_pace
from bot.settings import Settings

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def telegram_config(settings: Settings) -> TelegramConfig:
    """The channel's configuration, copied from the settings."""
    if not settings.telegram_token:
        raise ValueError("WISMO_TELEGRAM_TOKEN is not set")
    return TelegramConfig(
        token=settings.telegram_token,
        secret_key=settings.secret_key,
        api_url=settings.telegram_api_url,
        mode=settings.telegram_mode,
        webhook_url=settings.telegram_webhook_url,
        webhook_secret=settings.telegram_webhook_secret,
        rate_global=settings.telegram_rate_global,
        rate_per_chat=settings.telegram_rate_per_chat,
        bot_username=settings.telegram_bot_username,
        timezone=settings.timezone,
    )


def build_telegram(services: Services) -> TelegramChannel | None:
    """The Telegram channel when a token is set (else None); registers its sender."""
    if not services.settings.telegram_token:
        return None
    from core.conversation import Conversation

    conversation = Conversation(services.database, services.clock, services.config)
    # The language model loads in the background (about a second), not on the first message.
    threading.Thread(
        target=conversation.languages.warm, name="wismo-languages", daemon=True
    ).start()
    channel = TelegramChannel(
        telegram_config(services.settings),
        conversation,
        services.database,
        services.clock,
        pace=shared_pace(services, "telegram", services.settings.telegram_rate_global),
    )
    services.senders["telegram"] = channel.sender
    services.telegram = channel
    return channel


@dataclass(frozen=True)
class WebhookAnswer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


async def answer_webhook(services: Services, secret: str | None, body: bytes) -> WebhookAnswer:
    """What Telegram's update POST gets: checked against the webhook secret, then kept."""
    channel = services.telegram
    if not isinstance(channel, TelegramChannel) or channel.config.mode != "webhook":
        return WebhookAnswer(404, {"ok": False, "error": "telegram webhook is not enabled"})
    if not channel.secret_ok(secret):
        log.warning("telegram webhook request refused: wrong or missing secret token")
        return WebhookAnswer(401, {"ok": False, "error": "unauthorized"})
    if not channel.accepting:
        # Starting or stopping: a non-2xx makes Telegram deliver the update again later.
        return WebhookAnswer(503, {"ok": False, "error": "not ready"}, {"Retry-After": "1"})
    if len(body) > services.settings.max_request_bytes:
        return WebhookAnswer(413, {"ok": False, "error": "request too large"})
    data = json_object(body)
    if isinstance(data, str):
        return WebhookAnswer(400, {"ok": False, "error": f"body is not a JSON object: {data}"})
    handled = await channel.feed(data)
    if handled is None:
        return WebhookAnswer(400, {"ok": False, "error": "body is not a Telegram update"})
    if handled is Handled.RETRY:
        # The database is unreachable: a non-2xx makes Telegram deliver the update again.
        return WebhookAnswer(
            503, {"ok": False, "error": "temporarily unavailable"}, {"Retry-After": "5"}
        )
    return WebhookAnswer(200, {"ok": True})


router = APIRouter(tags=["telegram"])


@router.post(WEBHOOK_PATH, include_in_schema=False)
async def telegram_webhook(request: Request) -> JSONResponse:
    """Telegram's update POST (when the app is served without `WebhookFirst` in front)."""
    body = await request.body()
    answer = await answer_webhook(
        request.app.state.services, request.headers.get(SECRET_HEADER), body
    )
    return JSONResponse(answer.body, answer.status, headers=answer.headers or None)


class WebhookFirst:
    """Pure ASGI in front of the HTTP app: Telegram's update POSTs skip FastAPI's stack.

    Every update passes through here, so FastAPI's routing and its ten middleware layers
    (body limit, exceptions, exit stack, …) were a third of the webhook's event-loop time
    in a py-spy profile. This reads the body (refusing one over WISMO_MAX_REQUEST_BYTES
    with 413 as it streams), answers as `telegram_webhook` does, and times the request
    for /metrics; any other request goes to the app unchanged.
    """

    def __init__(self, app: Any, services: Services) -> None:
        self.app = app
        self.services = services
        self._secret_header = SECRET_HEADER.lower().encode()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] != WEBHOOK_PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        try:
            answer = await self._answer(scope, receive)
            status = answer.status
            payload = json.dumps(answer.body, separators=(",", ":")).encode()
            headers = [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *((k.lower().encode(), v.encode()) for k, v in answer.headers.items()),
            ]
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": payload})
        except Exception:
            log.exception("telegram webhook request failed")
            await send({"type": "http.response.start", "status": 500,
                        "headers": [(b"content-type", b"application/json")]})  # fmt: skip
            await send({"type": "http.response.body", "body": b'{"ok":false}'})
        finally:
            self.services.metrics.request_seconds.labels("POST", WEBHOOK_PATH, str(status)).observe(
                time.perf_counter() - started
            )

    async def _answer(self, scope: Any, receive: Any) -> WebhookAnswer:
        secret = None
        for name, value in scope["headers"]:
            if name == self._secret_header:
                secret = value.decode("latin-1")
        limit = self.services.settings.max_request_bytes
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return WebhookAnswer(400, {"ok": False, "error": "client went away"})
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return WebhookAnswer(413, {"ok": False, "error": "request too large"})
            chunks.append(chunk)
            more = message.get("more_body", False)
        return await answer_webhook(self.services, secret, b"".join(chunks))

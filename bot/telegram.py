"""Telegram wiring: the channel built from the settings, and its webhook endpoint.

`wismo run` starts the channel when WISMO_TELEGRAM_TOKEN is set. In webhook mode Telegram
POSTs updates to `WEBHOOK_PATH` on wismo's HTTP app (put it behind your HTTPS reverse
proxy at WISMO_TELEGRAM_WEBHOOK_URL); a request without the right secret-token header
gets 401 and nothing is processed.
"""

from __future__ import annotations

import logging
import threading

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from adapters.telegram import TelegramChannel, TelegramConfig
from adapters.telegram.webhook import Handled
from bot.api.bodies import json_object
from bot.services import Services
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
        telegram_config(services.settings), conversation, services.database, services.clock
    )
    services.senders["telegram"] = channel.sender
    services.telegram = channel
    return channel


router = APIRouter(tags=["telegram"])


@router.post(WEBHOOK_PATH, include_in_schema=False)
async def telegram_webhook(request: Request) -> JSONResponse:
    """Telegram's update POST: checked against the webhook secret, then queued for PTB."""
    services: Services = request.app.state.services
    channel = services.telegram
    if not isinstance(channel, TelegramChannel) or channel.config.mode != "webhook":
        return JSONResponse({"ok": False, "error": "telegram webhook is not enabled"}, 404)
    if not channel.secret_ok(request.headers.get(SECRET_HEADER)):
        log.warning("telegram webhook request refused: wrong or missing secret token")
        return JSONResponse({"ok": False, "error": "unauthorized"}, 401)
    if not channel.accepting:
        # Starting or stopping: a non-2xx makes Telegram deliver the update again later.
        return JSONResponse({"ok": False, "error": "not ready"}, 503, headers={"Retry-After": "1"})
    body = await request.body()
    if len(body) > services.settings.max_request_bytes:
        return JSONResponse({"ok": False, "error": "request too large"}, 413)
    data = json_object(body)
    if isinstance(data, str):
        return JSONResponse({"ok": False, "error": f"body is not a JSON object: {data}"}, 400)
    handled = await channel.feed(data)
    if handled is None:
        return JSONResponse({"ok": False, "error": "body is not a Telegram update"}, 400)
    if handled is Handled.RETRY:
        # The database is unreachable: a non-2xx makes Telegram deliver the update again.
        return JSONResponse(
            {"ok": False, "error": "temporarily unavailable"}, 503, headers={"Retry-After": "5"}
        )
    return JSONResponse({"ok": True})

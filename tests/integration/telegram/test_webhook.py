"""Webhook mode: Telegram POSTs updates to wismo's HTTP app, which checks the secret token."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import aiohttp
import httpx
import pytest
from sqlmodel import func, select

from bot.http import create_app
from bot.runtime import HttpServer
from bot.services import Services, build_services
from bot.settings import load_settings
from bot.telegram import WEBHOOK_PATH, build_telegram
from core.runtime.clock import ManualClock
from core.storage import UpdateInbox
from core.storage.db import Database
from core.storage.models import InboundUpdate, ProcessedUpdate
from tests.integration.telegram.botapi import BotApiServer
from tests.integration.telegram.conftest import SECRET, Harness
from tests.integration.telegram.test_conversation import shown

WEBHOOK_SECRET = "webhook-secret-0123456789"


@dataclass
class WebhookWismo:
    harness: Harness
    services: Services
    url: str


@pytest.fixture
async def webhook(
    botapi: BotApiServer, db: Database, clock: ManualClock
) -> AsyncIterator[WebhookWismo]:
    """wismo's HTTP app on a free port with the Telegram channel in webhook mode."""
    settings = load_settings(
        secret_key=SECRET,
        database_url=db.url,
        http_port=0,
        telegram_token=botapi.token,
        telegram_api_url=botapi.api_url,
        telegram_mode="webhook",
        telegram_webhook_url="https://placeholder.invalid/telegram/webhook",
        telegram_webhook_secret=WEBHOOK_SECRET,
        telegram_rate_global=10_000,
        telegram_rate_per_chat=10_000,
    )
    services = build_services(settings, clock=clock)
    http = HttpServer(services)
    await http.start()
    port = http.server.servers[0].sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
    # Telegram must reach the endpoint at its public URL; here that is the local port.
    services.settings = settings.model_copy(update={"telegram_webhook_url": url})
    channel = build_telegram(services)
    assert channel is not None
    harness = Harness(botapi, channel)
    await channel.start()
    try:
        yield WebhookWismo(harness, services, url)
    finally:
        await channel.stop()
        await http.stop()
        await services.database.dispose()


async def processed_count(db: Database) -> int:
    async with db.session() as session:
        return (await session.exec(select(func.count()).select_from(ProcessedUpdate))).one()


async def test_start_registers_the_webhook_with_its_secret(
    webhook: WebhookWismo, botapi: BotApiServer
) -> None:
    assert botapi.webhook == {
        "url": webhook.url,
        "secret_token": WEBHOOK_SECRET,
        "allowed_updates": ["message", "callback_query"],
    }
    assert botapi.calls_of("getUpdates") == []  # no polling in webhook mode
    assert webhook.services.senders["telegram"] is webhook.harness.channel.sender


async def test_update_with_the_secret_is_answered(
    webhook: WebhookWismo, botapi: BotApiServer
) -> None:
    update = botapi.message_update(401, "/help")
    assert await botapi.post_webhook(update) == 200
    await webhook.harness.processed(update["update_id"])
    [answer] = botapi.sent_to(401)
    assert "Here's what I can do" in shown(answer.text)


@pytest.mark.parametrize("secret", [None, "wrong-secret", WEBHOOK_SECRET + "x", ""])
async def test_wrong_or_missing_secret_is_refused_and_nothing_processed(
    webhook: WebhookWismo, botapi: BotApiServer, db: Database, secret: str | None
) -> None:
    update = botapi.message_update(402, "/help")
    assert await botapi.post_webhook(update, secret=secret) == 401
    # A genuine update afterwards is answered; the refused one never was.
    genuine = botapi.message_update(402, "/orders")
    assert await botapi.post_webhook(genuine) == 200
    await webhook.harness.processed(genuine["update_id"])
    assert len(botapi.sent_to(402)) == 1
    assert await processed_count(db) == 1


async def kept_count(db: Database) -> int:
    async with db.session() as session:
        return (await session.exec(select(func.count()).select_from(InboundUpdate))).one()


async def test_the_200_comes_once_the_update_is_kept_and_it_is_forgotten_once_answered(
    webhook: WebhookWismo, botapi: BotApiServer, db: Database
) -> None:
    inbox = webhook.harness.channel.inbox
    botapi.latency = 0.3  # the answer takes a while to send; the 200 does not wait for it
    update = botapi.message_update(404, "/help")
    assert await botapi.post_webhook(update) == 200
    assert botapi.sent_to(404) == []  # acknowledged before it was answered ...
    assert await kept_count(db) == 1  # ... because it is durable
    await botapi.wait_for(lambda: len(botapi.sent_to(404)) == 1)
    await webhook.harness.processed(update["update_id"])
    await botapi.wait_for(lambda: inbox.in_hand == 0)
    await inbox.stop()  # its last turn forgets what was handled
    assert await kept_count(db) == 0


async def test_an_update_a_dead_replica_acknowledged_is_answered_once_its_lease_runs_out(
    webhook: WebhookWismo, botapi: BotApiServer, db: Database, clock: ManualClock
) -> None:
    inbox = webhook.harness.channel.inbox
    await inbox.stop()  # the test takes the inbox's turns itself
    update = botapi.message_update(405, "/help")
    # Another replica kept it, answered Telegram 200 and died before handling it.
    dead_replica = UpdateInbox(db, clock, "telegram", timedelta(seconds=60))
    assert await dead_replica.keep(str(update["update_id"]), json.dumps(update))
    assert await inbox.take_up_overdue() == 0  # still its lease
    clock.advance(timedelta(seconds=61))
    assert await inbox.take_up_overdue() == 1
    await webhook.harness.processed(update["update_id"])
    [answer] = botapi.sent_to(405)
    assert "Here's what I can do" in shown(answer.text)
    # Telegram's late redelivery of it changes nothing.
    assert await botapi.post_webhook(update) == 200
    await inbox.tidy()
    assert await kept_count(db) == 0
    clock.advance(timedelta(seconds=61))
    assert await inbox.take_up_overdue() == 0
    assert len(botapi.sent_to(405)) == 1


async def test_webhook_retry_is_handled_once(webhook: WebhookWismo, botapi: BotApiServer) -> None:
    update = botapi.message_update(403, "/help")
    assert await botapi.post_webhook(update) == 200
    assert await botapi.post_webhook(update) == 200  # Telegram retrying the same update
    follow_up = botapi.message_update(403, "thanks")
    assert await botapi.post_webhook(follow_up) == 200
    await webhook.harness.processed(follow_up["update_id"])
    texts = [shown(m.text) for m in botapi.sent_to(403)]
    assert sum("Here's what I can do" in t for t in texts) == 1


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        json.dumps({"message": {}}).encode(),
        b'{"update_id": 1, "message": {"text": "\xff"}}',
        b'{"update_id": 1, "message": ' + b'{"a": ' * 1000 + b"1" + b"}" * 1001,
        b'{"update_id": 1, "message": ' + b"[" * 100 + b"]" * 100 + b"}",
    ],
    ids=["not JSON", "a list", "no update_id", "invalid UTF-8", "nested 1000 deep", "100 deep"],
)
async def test_malformed_body_is_a_bad_request(
    webhook: WebhookWismo, botapi: BotApiServer, body: bytes
) -> None:
    async with aiohttp.ClientSession() as client:
        async with client.post(
            webhook.url,
            data=body,
            headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
        ) as response:
            assert response.status == 400
            assert (await response.json())["ok"] is False
    # The endpoint goes on answering.
    update = botapi.message_update(404, "/help")
    assert await botapi.post_webhook(update) == 200
    await webhook.harness.processed(update["update_id"])


async def test_endpoint_is_not_found_without_a_webhook_channel(
    db: Database, clock: ManualClock
) -> None:
    services = build_services(load_settings(database_url=db.url), clock=clock)
    transport = httpx.ASGITransport(app=create_app(services))
    async with httpx.AsyncClient(transport=transport, base_url="http://wismo") as client:
        response = await client.post(
            WEBHOOK_PATH, json={"update_id": 1}, headers={"X-Telegram-Bot-Api-Secret-Token": "x"}
        )
    assert response.status_code == 404
    await services.database.dispose()


async def test_a_stopping_replica_asks_telegram_to_deliver_again(
    webhook: WebhookWismo, botapi: BotApiServer, db: Database
) -> None:
    await webhook.harness.channel.stop()  # the HTTP app is still up, the channel is not
    update = botapi.message_update(404, "/help")
    assert await botapi.post_webhook(update) == 503
    assert await processed_count(db) == 0


async def test_a_body_over_the_limit_is_413_even_without_content_length(
    webhook: WebhookWismo, db: Database
) -> None:
    limit = webhook.services.settings.max_request_bytes
    big = b'{"update_id": 1, "padding": "' + b"x" * limit + b'"}'
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(big), 8192):
            yield big[start : start + 8192]

    async with httpx.AsyncClient() as client:
        declared = await client.post(webhook.url, content=big, headers=headers)
        streamed = await client.post(webhook.url, content=chunks(), headers=headers)
        metrics = (await client.get(webhook.url.replace(WEBHOOK_PATH, "/metrics"))).text
    assert declared.status_code == 413 and streamed.status_code == 413
    assert declared.json() == {"ok": False, "error": "request too large"}
    assert await kept_count(db) == 0
    # The webhook's requests are timed for /metrics like every other route.
    assert f'route="{WEBHOOK_PATH}",status="413"' in metrics

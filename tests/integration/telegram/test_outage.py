"""The database goes away while Telegram updates arrive (PostgreSQL, real HTTP).

A relay between wismo and PostgreSQL plays the outage: cut, wismo's connections drop and
new ones are refused; restored, they work again. Updates that arrive meanwhile are not
acknowledged (503), so Telegram delivers them again; by long polling they are held and
handled once the database is back. Every shopper then gets one real answer and no apology.
Updates acknowledged (kept) just before the outage and caught by it half-way are handled
again once their lease runs out: answered once, never lost.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy.engine import make_url

from adapters.telegram import TelegramChannel
from bot.runtime import HttpServer
from bot.services import build_services
from bot.settings import load_settings
from bot.telegram import WEBHOOK_PATH, build_telegram
from core.runtime.clock import ManualClock
from core.storage.db import Database
from tests.integration.telegram.botapi import BotApiServer
from tests.integration.telegram.conftest import SECRET, Harness, channel_config, core_config
from tests.integration.telegram.test_conversation import shown
from tests.integration.telegram.test_webhook import WEBHOOK_SECRET, WebhookWismo

APOLOGY = "something went wrong"  # the help text says "what went wrong" too


class DatabaseLine:
    """A TCP relay to the database that a test can cut and restore."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self.server: asyncio.Server | None = None
        self.links: set[asyncio.StreamWriter] = set()

    async def restore(self) -> None:
        self.server = await asyncio.start_server(
            self._link, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self.server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        """Refuse new connections and drop every open one, as a database crash would."""
        assert self.server is not None
        self.server.close()
        for writer in list(self.links):
            writer.transport.abort()
        self.links.clear()
        await self.server.wait_closed()

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self.links |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
        sink.transport.abort()
        self.links.discard(sink)


@pytest.fixture
async def line(pg_url: str) -> AsyncIterator[tuple[DatabaseLine, str]]:
    url = make_url(pg_url)
    relay = DatabaseLine(url.host or "127.0.0.1", url.port or 5432)
    await relay.restore()
    yield relay, url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
    if relay.server is not None and relay.server.is_serving():
        await relay.cut()


@pytest.fixture
async def webhook_on_postgres(
    botapi: BotApiServer, clock: ManualClock, line: tuple[DatabaseLine, str]
) -> AsyncIterator[WebhookWismo]:
    _, database_url = line
    settings = load_settings(
        secret_key=SECRET,
        database_url=database_url,
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


async def test_updates_during_an_outage_are_resent_and_answered_once(
    webhook_on_postgres: WebhookWismo,
    botapi: BotApiServer,
    line: tuple[DatabaseLine, str],
) -> None:
    relay, _ = line
    chats = range(700, 710)
    before = [botapi.message_update(chat, "/help") for chat in chats]
    assert await asyncio.gather(*(botapi.post_webhook(u) for u in before)) == [200] * 10
    await botapi.wait_for(lambda: all(len(botapi.sent_to(chat)) == 1 for chat in chats))

    await relay.cut()  # the database goes away
    during = [botapi.message_update(chat, "/orders") for chat in chats]
    statuses = await asyncio.gather(*(botapi.post_webhook(u) for u in during))
    assert statuses == [503] * 10  # not acknowledged: Telegram will deliver them again
    assert all(len(botapi.sent_to(chat)) == 1 for chat in chats)  # no apology meanwhile

    await relay.restore()  # back; Telegram redelivers what was not acknowledged
    assert await asyncio.gather(*(botapi.post_webhook(u) for u in during)) == [200] * 10
    await botapi.wait_for(lambda: all(len(botapi.sent_to(chat)) == 2 for chat in chats))
    # And a redelivery of an update already answered changes nothing.
    assert await botapi.post_webhook(during[0]) == 200
    await webhook_on_postgres.harness.processed(during[0]["update_id"])

    for chat in chats:
        answers = [shown(m.text) for m in botapi.sent_to(chat)]
        assert len(answers) == 2, answers  # /help, then /orders: each once
        assert "Here's what I can do" in answers[0]
        assert not any(APOLOGY in a for a in answers)


@pytest.fixture
async def polling_on_postgres(
    botapi: BotApiServer, clock: ManualClock, line: tuple[DatabaseLine, str]
) -> AsyncIterator[Harness]:
    from core.conversation import Conversation

    _, database_url = line
    database = Database(database_url)
    channel = TelegramChannel(
        channel_config(botapi, db_probe=0.05),
        Conversation(database, clock, core_config()),
        database,
        clock,
    )
    harness = Harness(botapi, channel)
    await channel.start()
    try:
        yield harness
    finally:
        await channel.stop()
        await database.dispose()


async def test_polled_updates_during_an_outage_are_answered_once_it_is_back(
    polling_on_postgres: Harness,
    botapi: BotApiServer,
    line: tuple[DatabaseLine, str],
) -> None:
    """Long polling confirms updates as it fetches them, so Telegram will not resend one:
    those the database was down for are held, then answered when it is back."""
    relay, _ = line
    chats = range(800, 810)
    for chat in chats:
        await polling_on_postgres.deliver(botapi.message_update(chat, "/help"), chat)

    await relay.cut()  # the database goes away
    fetched = [botapi.push_update(botapi.message_update(chat, "/orders")) for chat in chats]
    # One shopper asks twice; the answers must still come in order.
    fetched.append(botapi.push_update(botapi.message_update(809, "/help")))
    for update_id in fetched:
        await polling_on_postgres.processed(update_id)  # fetched, failed, held
    assert all(len(botapi.sent_to(chat)) == 1 for chat in chats)  # no apology meanwhile

    await relay.restore()  # back: the held updates are handled now
    await botapi.wait_for(lambda: all(len(botapi.sent_to(c)) == 2 for c in chats[:-1]), 20)
    await botapi.wait_for(lambda: len(botapi.sent_to(809)) == 3, within=20)
    twice = [shown(m.text) for m in botapi.sent_to(809)]
    assert "Here's what I can do" not in twice[1] and "Here's what I can do" in twice[2]
    for chat in chats[:-1]:
        answers = [shown(m.text) for m in botapi.sent_to(chat)]
        assert len(answers) == 2, answers  # /help, then /orders: each once
        assert "Here's what I can do" in answers[0]
        assert not any(APOLOGY in a for a in answers)
        assert "Here's what I can do" not in answers[1]  # the /orders answer, not another /help
    assert not any(APOLOGY in a for a in twice)


async def test_updates_acknowledged_before_an_outage_are_answered_once_after_it(
    webhook_on_postgres: WebhookWismo,
    botapi: BotApiServer,
    line: tuple[DatabaseLine, str],
    clock: ManualClock,
) -> None:
    relay, _ = line
    chats = range(720, 730)
    updates = [botapi.message_update(chat, "/help") for chat in chats]
    # Acknowledged: each is in the database. The outage may catch any of them half-way.
    assert await asyncio.gather(*(botapi.post_webhook(u) for u in updates)) == [200] * 10
    await relay.cut()
    await asyncio.sleep(0)
    await relay.restore()
    clock.advance(timedelta(seconds=61))  # the leases run out: the inbox takes them up again

    await botapi.wait_for(lambda: all(len(botapi.sent_to(chat)) >= 1 for chat in chats), 15)
    for chat in chats:
        answers = [shown(m.text) for m in botapi.sent_to(chat)]
        assert len(answers) == 1, answers
        assert "Here's what I can do" in answers[0]
        assert not any(APOLOGY in a for a in answers)

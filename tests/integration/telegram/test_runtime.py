"""`wismo run` with WISMO_TELEGRAM_TOKEN set: the channel starts, polls, answers and stops."""

from __future__ import annotations

import asyncio
import gc

import pytest
from telegram.error import TelegramError

from adapters.telegram import TelegramChannel, TelegramConfig, TelegramSender
from bot.runtime import build_components, serve
from bot.services import build_services
from bot.settings import SettingsError, load_settings
from core.conversation.service import Conversation
from core.replies import messages
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from tests.integration.telegram.botapi import BotApiServer
from tests.integration.telegram.conftest import SECRET
from tests.integration.telegram.test_conversation import shown


def settings_for(botapi: BotApiServer, db: Database, **extra: object):
    return load_settings(
        secret_key=SECRET,
        database_url=db.url,
        http_port=0,
        telegram_token=botapi.token,
        telegram_api_url=botapi.api_url,
        **extra,
    )


async def test_no_token_no_telegram(db: Database, clock: ManualClock) -> None:
    services = build_services(load_settings(database_url=db.url, http_port=0), clock=clock)
    names = [c.name for c in build_components(services)]
    assert "http" in names and "telegram" not in names
    assert "telegram" not in services.senders
    await services.database.dispose()


async def test_wismo_run_polls_and_answers(
    botapi: BotApiServer, db: Database, clock: ManualClock
) -> None:
    services = build_services(settings_for(botapi, db), clock=clock)
    stop = asyncio.Event()
    running = asyncio.create_task(serve(services, stop))
    try:
        await botapi.wait_for(lambda: bool(botapi.calls_of("getUpdates")), within=10)
        assert isinstance(services.senders["telegram"], TelegramSender)
        # Polling replaces any webhook, and the command menu is published.
        assert botapi.calls_of("deleteWebhook")
        assert [c["command"] for c in botapi.commands] == [
            "track",
            "orders",
            "help",
            "stop",
            "cancel",
        ]
        assert gc.get_freeze_count() > 0  # start-up's objects are out of the collector's way
        botapi.push_update(botapi.message_update(501, "/help", language_code="fr"))
        await botapi.wait_for(lambda: bool(botapi.sent_to(501)), within=10)
        assert "Voici ce que je peux faire" in shown(botapi.sent_to(501)[0].text)
    finally:
        stop.set()
        await asyncio.wait_for(running, 15)
    assert services.senders["telegram"].ready is False  # stopped with the service
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ({}, "WISMO_TELEGRAM_WEBHOOK_SECRET"),
        ({"telegram_webhook_secret": "s3cret"}, "WISMO_TELEGRAM_WEBHOOK_URL"),
        (
            {"telegram_webhook_secret": "no spaces!", "telegram_webhook_url": "https://a.b/t"},
            "WISMO_TELEGRAM_WEBHOOK_SECRET",
        ),
        (
            {"telegram_webhook_secret": "s3cret", "telegram_webhook_url": "http://shop.example/t"},
            "WISMO_TELEGRAM_WEBHOOK_URL must be an https:// URL",
        ),
    ],
)
def test_webhook_mode_settings_are_checked_at_start(extra: dict, named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        load_settings(telegram_token="1:x", telegram_mode="webhook", **extra)


def test_a_self_hosted_bot_api_server_may_post_over_http() -> None:
    settings = load_settings(
        telegram_token="1:x",
        telegram_mode="webhook",
        telegram_webhook_secret="s3cret",
        telegram_webhook_url="http://10.0.0.5:8080/telegram/webhook",
        telegram_api_url="http://127.0.0.1:8081/bot",
    )
    assert settings.telegram_webhook_url == "http://10.0.0.5:8080/telegram/webhook"


@pytest.mark.parametrize("method", ["getMe", "setMyCommands"])
async def test_a_start_that_fails_half_way_closes_what_it_opened(
    botapi: BotApiServer, db: Database, clock: ManualClock, method: str
) -> None:
    channel = _channel(botapi, db, clock)
    botapi.fail(method, 401, "Unauthorized")
    with pytest.raises(TelegramError):
        await channel.start()
    # Every HTTP session the bot opened is closed again (none left for the garbage collector
    # to complain about), and the channel does not claim to be ready.
    assert all(request._session is None or request._session.closed for request in channel._requests)
    assert channel.sender.ready is False


async def test_the_command_menu_is_published_in_every_catalogue_language(
    botapi: BotApiServer, db: Database, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = _channel(botapi, db, clock)
    translated = {"telegram.command.track": "Wo ist meine Bestellung?"}
    monkeypatch.setitem(messages.CATALOGUES, "de", translated)
    monkeypatch.setitem(messages.CATALOGUES, "fr", {"thanks": "Avec plaisir !"})  # no menu
    await channel.start()
    await channel.stop()
    default = {c["command"]: c["description"] for c in botapi.commands}
    assert default["track"] == "Where is my order?"
    assert list(botapi.commands_by_language) == ["de", "es"]  # French has no menu wording here
    german = {c["command"]: c["description"] for c in botapi.commands_by_language["de"]}
    assert german["track"] == "Wo ist meine Bestellung?"
    assert german["orders"] == default["orders"]  # not translated: the default wording


def _channel(botapi: BotApiServer, db: Database, clock: ManualClock) -> TelegramChannel:
    """A wismo Telegram channel on the stand-in server, not started."""
    config = TelegramConfig(
        token=botapi.token, secret_key=SECRET, api_url=botapi.api_url, poll_timeout=1
    )
    return TelegramChannel(config, Conversation(db, clock, CoreConfig(secret_key="k")), db, clock)

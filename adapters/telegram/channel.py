"""The Telegram channel: one PTB Application running inside wismo's own event loop.

Polling mode uses PTB's Updater (getUpdates long polling). Webhook mode builds the
Application without an Updater; wismo's HTTP app checks the secret-token header and hands
each update to `feed`, which stores it in the database and puts it on the Application's
update queue — PTB's own custom-webhook pattern — so the webhook answers once the update
is durable, before it is handled (see adapters/telegram/webhook.py). PTB's JobQueue is
off: wismo's scheduler is the only one.
"""

from __future__ import annotations

import hmac
import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from adapters.telegram import notices
from adapters.telegram.callbacks import CallbackCodec
from adapters.telegram.handlers import Conversation, ShopperHandlers
from adapters.telegram.held import HeldUpdates
from adapters.telegram.inbound import well_formed
from adapters.telegram.processor import ChatOrderedProcessor
from adapters.telegram.ratelimit import SendPacer
from adapters.telegram.request import WismoRequest
from adapters.telegram.sender import TelegramSender
from adapters.telegram.webhook import Handled, WebhookInbox
from core.replies import SendPace
from core.runtime import Clock, zone
from core.storage import Database, UpdateInbox

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]


@dataclass(frozen=True)
class TelegramConfig:
    """What the channel needs from the settings (bot/telegram.py copies them)."""

    token: str
    secret_key: str
    api_url: str = "https://api.telegram.org/bot"
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    webhook_secret: str | None = None
    rate_global: float = 30.0
    rate_per_chat: float = 1.0
    bot_username: str = "wismo_bot"
    timezone: str = "UTC"
    poll_timeout: int = 30  # seconds a getUpdates long poll stays open
    # Updates handled at once (one at a time per chat). Telegram takes 30 messages/s, and an
    # update holds its slot for about one send's round trip (well under half a second), so
    # 16 keep the outgoing pace full with room to spare; more only cost memory and CPU.
    concurrent_updates: int = 16
    connection_pool: int = 96  # HTTP connections to the Bot API for sending
    requests_in_flight: int = 8  # Bot API requests at once (see adapters/telegram/request.py)
    # Seconds a replica's lease on a webhook update lasts: kept but not handled by then (the
    # replica died, or the database went away), any replica takes it up again.
    webhook_hold: float = 60.0
    # Polling mode: seconds between checks whether an unreachable database is back.
    db_probe: float = 2.0

    def __post_init__(self) -> None:
        if self.mode == "webhook" and not (self.webhook_url and self.webhook_secret):
            raise ValueError("webhook mode needs a webhook URL and a webhook secret")


class TelegramChannel:
    """Builds the Application and its handlers; `start`/`stop` inside a running loop."""

    name = "telegram"

    def __init__(
        self,
        config: TelegramConfig,
        conversation: Conversation,
        database: Database,
        clock: Clock,
        pace: SendPace | None = None,
    ) -> None:
        self.config = config
        self.codec = CallbackCodec(config.secret_key)
        # `pace`: the bot-wide slots when replicas share a database (else paced here alone).
        self.pacer = SendPacer(config.rate_global, config.rate_per_chat, shared=pace)
        self.application = self._build_application()
        self.sender = TelegramSender(
            self.application.bot, self.pacer, self.codec, zone(config.timezone)
        )
        self.inbox = WebhookInbox(
            UpdateInbox(database, clock, "telegram", timedelta(seconds=config.webhook_hold)),
            self.decode,
            self.application.update_queue.put,
        )
        self._processor.finished = self._finished
        self.held = (
            HeldUpdates(database, self.application.update_queue.put, probe_every=config.db_probe)
            if config.mode == "polling"
            else None
        )
        self.handlers = ShopperHandlers(
            conversation,
            self.sender,
            self.codec,
            database,
            clock,
            config.bot_username,
            self.inbox,
            self.held,
        )
        self._register(self.handlers)

    def _build_application(self) -> Application[Any, Any, Any, Any, Any, Any]:
        config = self.config
        # Handlers and the push dispatcher share these connections; with the pacer in front
        # a send may queue for a free one a little longer than PTB's 1 s default.
        sending = WismoRequest(
            connection_pool_size=config.connection_pool,
            pool_timeout=10.0,
            in_flight=config.requests_in_flight,
        )
        # A long poll holds the connection open for poll_timeout; read a little longer.
        polling = WismoRequest(connection_pool_size=1, read_timeout=config.poll_timeout + 10)
        self._requests = (sending, polling)
        self._processor = ChatOrderedProcessor(config.concurrent_updates)
        builder = (
            ApplicationBuilder()
            .token(config.token)
            .base_url(config.api_url)
            .job_queue(None)
            .request(sending)
            .get_updates_request(polling)
            .concurrent_updates(self._processor)
        )
        if config.mode == "webhook":
            builder = builder.updater(None)
        return builder.build()

    def _register(self, handlers: ShopperHandlers) -> None:
        app = self.application
        # New messages only: an edited message is not a new question.
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
        app.add_handler(CommandHandler("start", handlers.on_start, filters=private))
        for name in notices.COMMANDS:
            app.add_handler(CommandHandler(name, handlers.command(name), filters=private))
        # Messages (not edits) in a private chat: text, unknown commands, stickers, photos.
        app.add_handler(MessageHandler(private, handlers.on_message))
        app.add_handler(CallbackQueryHandler(handlers.on_button))
        app.add_handler(
            MessageHandler(
                filters.ChatType.GROUPS & filters.UpdateType.MESSAGE & filters.COMMAND,
                handlers.on_group,
            )
        )
        # Channel posts, edited messages and other group chatter have no handler: ignored.
        app.add_error_handler(handlers.on_error)

    def _finished(self, update: object) -> None:
        # After every handler and the error handler: a webhook update may be forgotten.
        if isinstance(update, Update):
            self.inbox.finished(update.update_id)

    async def start(self) -> None:
        """Connect (getMe), start processing, then poll or register the webhook.

        When any step fails, what was started is stopped again (the HTTP sessions closed)
        before the error goes to the caller.
        """
        try:
            await self._start()
        except BaseException:
            await self.stop()
            raise

    async def _start(self) -> None:
        app = self.application
        await app.initialize()
        self.sender.ready = True
        await app.start()
        await app.bot.set_my_commands(notices.command_menu())
        for language in notices.menu_languages():
            await app.bot.set_my_commands(notices.command_menu(language), language_code=language)
        if self.config.mode == "webhook":
            await self.inbox.start()
            await app.bot.set_webhook(
                url=str(self.config.webhook_url),
                secret_token=self.config.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
            log.info("telegram bot @%s receives updates by webhook", app.bot.username)
        else:
            assert app.updater is not None
            await app.updater.start_polling(
                timeout=self.config.poll_timeout,
                allowed_updates=ALLOWED_UPDATES,
                poll_interval=0.0,
            )
            log.info("telegram bot @%s is polling for updates", app.bot.username)

    async def stop(self) -> None:
        """Stop polling, finish the updates in hand and close the HTTP connections."""
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if self.held is not None:
            await self.held.close()
        if app.running:
            await app.stop()
        if self.config.mode == "webhook":
            try:
                await self.inbox.stop()
            except Exception:  # what is not forgotten is taken up and found a duplicate
                log.warning("telegram webhook inbox: could not forget the last handled updates")
        self.sender.ready = False
        await app.shutdown()
        for request in self._requests:  # closed already, unless start failed half way
            await request.shutdown()

    def secret_ok(self, header: str | None) -> bool:
        """Whether a webhook request carries our X-Telegram-Bot-Api-Secret-Token."""
        expected = self.config.webhook_secret
        if not expected or header is None:
            return False
        return hmac.compare_digest(header.encode(), expected.encode())

    @property
    def accepting(self) -> bool:
        """Whether webhook updates are processed now (not before start or after stop)."""
        return self.config.mode == "webhook" and self.application.running

    def decode(self, data: dict[str, Any]) -> Update | None:
        """The Update in a webhook body; None when it is not a well-formed update."""
        if not isinstance(data.get("update_id"), int):
            return None
        try:
            update = Update.de_json(data, self.application.bot)
        except Exception:  # PTB trusts the JSON's shape; anything not shaped so is no update
            return None
        if update is None or not well_formed(update):
            return None
        return update

    async def feed(self, data: dict[str, Any]) -> Handled | None:
        """Keep one webhook update and queue it; None when it is not an update."""
        update = self.decode(data)
        if update is None:
            log.warning("telegram webhook body is not a valid update")
            return None
        return await self.inbox.accept(update, json.dumps(data, separators=(",", ":")))

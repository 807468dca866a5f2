"""PTB handlers: every update a shopper can send, mapped to the core conversation and back.

`async def handler(update, context) -> None` as PTB intends; the conversation decides what
to say, these only translate and deliver. A redelivered update is answered once: the
conversation checks the update_id (`Inbound.delivery_key`) in its own transaction, so
an update whose handling failed is answered when Telegram sends it again; the few
updates that never reach the conversation (group commands, forged buttons) are checked
here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from adapters.telegram import notices
from adapters.telegram.callbacks import CallbackCodec
from adapters.telegram.held import HeldUpdates
from adapters.telegram.inbound import (
    CHANNEL,
    callback_inbound,
    command_inbound,
    delivery_key,
    text_inbound,
)
from adapters.telegram.render import RenderedMessage, same_screen
from adapters.telegram.sender import TelegramSender
from adapters.telegram.webhook import WebhookInbox
from core.replies import Inbound, RateLimited, Reply, Sent, text
from core.runtime import Clock
from core.storage import Database, database_unavailable, first_delivery

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]
_RATE_LIMIT_RETRIES = 3  # a shopper is waiting: wait out a 429 a few times before giving up
_LONGEST_WAIT = 60.0  # seconds; a longer flood wait is not worth holding the answer for


class Conversation(Protocol):
    """The core conversation (core/conversation/service.py) as the adapter sees it."""

    async def handle(self, inbound: Inbound) -> list[Reply]: ...


class ShopperHandlers:
    """The callbacks the Application registers; one instance per channel."""

    def __init__(
        self,
        conversation: Conversation,
        sender: TelegramSender,
        codec: CallbackCodec,
        database: Database,
        clock: Clock,
        bot_username: str,
        webhook: WebhookInbox | None = None,
        held: HeldUpdates | None = None,
    ) -> None:
        self.webhook = webhook
        self.held = held  # polling mode: updates kept for when the database is back
        self.conversation = conversation
        self.sender = sender
        self.codec = codec
        self.database = database
        self.clock = clock
        self.bot_username = bot_username

    async def _first_time(self, update: Update) -> bool:
        """For updates the conversation does not see: False when this one was handled."""
        async with self.database.transaction() as session:
            first = await first_delivery(session, self.clock, CHANNEL, delivery_key(update))
        if not first:
            log.info("telegram update %s already handled; ignored", update.update_id)
        return first

    def _behind_held(self, update: Update) -> bool:
        """Polling after an outage: hold this update too while the chat's earlier ones wait."""
        if self.held is None or not self.held.waiting_for(update):
            return False
        return self.held.hold(update)

    async def on_start(self, update: Update, context: Context) -> None:
        """/start, or /start <token> from a shop's deep link."""
        await self._converse(update, command_inbound(update, "start", context.args or []))

    def command(self, name: str) -> Handler:
        """The handler for /track, /orders, /help or /stop."""

        async def on_command(update: Update, context: Context) -> None:
            await self._converse(update, command_inbound(update, name, context.args or []))

        on_command.__name__ = f"on_{name}"
        return on_command

    async def on_message(self, update: Update, context: Context) -> None:
        """Free text (and stickers, photos, anything wordless) in a private chat."""
        await self._converse(update, text_inbound(update))

    async def on_button(self, update: Update, context: Context) -> None:
        """An inline-keyboard press; a forged or stale callback is refused, never acted on."""
        query = update.callback_query
        if query is None:
            return
        if self._behind_held(update):
            return
        inbound = callback_inbound(update, self.codec)
        if inbound is None:
            if not await self._first_time(update):
                return
            log.warning(
                "refused telegram callback with a bad signature (update %s)", update.update_id
            )
            stale = text("telegram.stale_button", notices.locale_of(update))
            await self._answer(query, text=stale, show_alert=True)
            return
        await self._answer(query)
        replies = await self.conversation.handle(inbound)
        pressed = query.message
        on_screen = pressed if isinstance(pressed, Message) else None
        await self.deliver(inbound.sender_id, replies, pressed=on_screen)

    async def on_group(self, update: Update, context: Context) -> None:
        """A command in a group: orders are private, so point to a one-to-one chat."""
        chat, message = update.effective_chat, update.effective_message
        if chat is None or message is None:
            return
        username = context.bot.username or self.bot_username  # getMe's answer is the truth
        command = (message.text or "").split(maxsplit=1)[0] if message.text else ""
        _, at, addressee = command.partition("@")
        if at and addressee.lower() != username.lower():
            return  # "/start@some_other_bot": not for us
        if not await self._first_time(update):
            return
        locale = notices.locale_of(update)
        label = text("telegram.group_chat_button", locale)
        button = InlineKeyboardButton(label, url=f"https://t.me/{username}")
        words = notices.html(text("telegram.group_chat", locale))
        notice = RenderedMessage(html=words, keyboard=InlineKeyboardMarkup([[button]]))
        await self.sender.send_one(str(chat.id), notice)

    async def on_error(self, update: object, context: Context) -> None:
        """The one error handler: log with the update id, apologise in a private chat.

        When the database was unreachable and the update came by webhook, it stays kept and
        is handled again once its lease runs out; by long polling it is held and handled again
        once the database answers (no apology either way: the shopper gets the real answer
        once the database is back).
        """
        update_id = update.update_id if isinstance(update, Update) else None
        error = context.error
        if update_id is not None and error is not None and database_unavailable(error):
            if self.webhook is not None and self.webhook.again_later(update_id):
                log.warning(
                    "telegram update %s: database unreachable; it is handled again later",
                    update_id,
                )
                return
            if isinstance(update, Update) and self.held is not None and self.held.hold(update):
                log.warning(
                    "telegram update %s: database unreachable; held until it is back", update_id
                )
                return
        log.error("telegram update %s failed", update_id, exc_info=error)
        if isinstance(update, Update):
            await self._apologise(update)

    async def _apologise(self, update: Update) -> None:
        chat = update.effective_chat
        if chat is None or chat.type != ChatType.PRIVATE:
            return
        words = notices.html(text("telegram.something_went_wrong", notices.locale_of(update)))
        try:
            await self.sender.send_one(str(chat.id), RenderedMessage(html=words))
        except Exception:
            log.exception("could not tell chat %s about the failure", chat.id)

    @staticmethod
    async def _answer(query: CallbackQuery, **kwargs: Any) -> None:
        """Stop the button's spinner; a query too old to answer is no reason to fail."""
        try:
            await query.answer(**kwargs)
        except TelegramError as exc:
            log.info("could not answer callback query: %s", exc)

    async def _converse(self, update: Update, inbound: Inbound) -> None:
        if self._behind_held(update):
            return
        replies = await self.conversation.handle(inbound)
        await self.deliver(inbound.sender_id, replies)

    async def deliver(
        self, chat_id: str, replies: list[Reply], *, pressed: Message | None = None
    ) -> None:
        """Send the conversation's replies in order; a 429 is waited out, a 403 ends it.

        When a button press redraws the screen it was pressed on (Refresh on an order card,
        ticking an item in a return), the message is edited in place instead of repeated.
        """
        for index, reply in enumerate(replies):
            messages = self.sender.render(chat_id, reply)
            if (
                index == 0
                and pressed is not None
                and len(messages) == 1
                and same_screen(messages[0].html, pressed.text or "")
            ):
                outcome: Any = await self.sender.edit(chat_id, pressed.message_id, messages[0])
                if isinstance(outcome, Sent):
                    continue  # otherwise send it afresh below
            for message in messages:
                outcome = await self._send_patiently(chat_id, message)
                if not isinstance(outcome, Sent):
                    log.warning(
                        "answer to telegram chat %s not delivered: %s",
                        chat_id,
                        type(outcome).__name__,
                    )
                    return

    async def _send_patiently(self, chat_id: str, message: RenderedMessage) -> Any:
        outcome: Any = None
        for _ in range(_RATE_LIMIT_RETRIES + 1):
            outcome = await self.sender.send_one(chat_id, message)
            if not isinstance(outcome, RateLimited) or outcome.retry_after > _LONGEST_WAIT:
                return outcome
            # send_one pushed the chat's next slot back; the next attempt waits for it.
        return outcome

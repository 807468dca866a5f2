"""Sending replies to Telegram chats, paced, with the platform's refusals as typed outcomes.

`TelegramSender` implements core.replies.sender.Sender for the notification dispatcher; the chat
handlers use the same object for interactive answers.
"""

from __future__ import annotations

import logging
import warnings
from datetime import timedelta
from zoneinfo import ZoneInfo

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from adapters.telegram.callbacks import CallbackCodec
from adapters.telegram.ratelimit import SendPacer
from adapters.telegram.render import RenderedMessage, render
from adapters.telegram.request import ClientError
from core.replies import Blocked, Permanent, RateLimited, Reply, SendOutcome, Sent, Transient

log = logging.getLogger(__name__)


def retry_after_seconds(exc: RetryAfter) -> float:
    """The wait Telegram asked for, in seconds, read through PTB's public `retry_after`.

    PTB 22 gives seconds (with a deprecation warning) unless PTB_TIMEDELTA=1, which gives
    the `timedelta` its next major version will always give; both read the same here.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def outcome_of(exc: TelegramError) -> SendOutcome:
    """The core's name for a failed Bot API call."""
    if isinstance(exc, Forbidden):
        return Blocked(reason=str(exc)[:200])  # blocked, deactivated, kicked from the chat
    if isinstance(exc, RetryAfter):
        return RateLimited(retry_after=retry_after_seconds(exc))
    if isinstance(exc, BadRequest | InvalidToken | Conflict | ChatMigrated | ClientError):
        return Permanent(reason=str(exc)[:200])
    if isinstance(exc, NetworkError):  # timeouts, connection errors, 5xx
        return Transient(reason=str(exc)[:200])
    return Permanent(reason=str(exc)[:200])


class TelegramSender:
    """Renders a core Reply and sends it to one chat within Telegram's rate limits."""

    def __init__(self, bot: Bot, pacer: SendPacer, codec: CallbackCodec, zone: ZoneInfo) -> None:
        self.bot = bot
        self.pacer = pacer
        self.codec = codec
        self.zone = zone
        self.ready = False  # set by the channel once the bot is initialized

    def render(self, chat_id: str, reply: Reply) -> list[RenderedMessage]:
        """The Telegram messages for `reply` in `chat_id`."""
        return render(reply, chat_id, self.codec, self.zone)

    async def send(self, recipient: str, reply: Reply) -> SendOutcome:
        """Send `reply` to chat `recipient`; Sent(ref "chat:message_id" of the last message)."""
        if not self.ready:
            return Transient(reason="telegram channel not started")
        messages = self.render(recipient, reply)
        if not messages:
            return Permanent(reason="empty reply")
        ref = ""
        for message in messages:
            outcome = await self.send_one(recipient, message, silent=reply.silent)
            if not isinstance(outcome, Sent):
                return outcome
            ref = outcome.ref
        return Sent(ref=ref)

    async def send_one(
        self, chat_id: str, message: RenderedMessage, *, silent: bool = False
    ) -> SendOutcome:
        """Send one rendered message, paced; the typed outcome instead of an exception."""
        try:
            async with self.pacer.turn(chat_id):
                sent = await self.bot.send_message(
                    chat_id=chat_id,
                    text=message.html,
                    parse_mode=ParseMode.HTML,
                    reply_markup=message.keyboard,
                    disable_notification=silent or None,
                )
        except TelegramError as exc:
            outcome = outcome_of(exc)
            if isinstance(outcome, RateLimited):
                self.pacer.back_off(chat_id, outcome.retry_after)
            log.warning("telegram send to chat %s failed: %s", chat_id, type(outcome).__name__)
            return outcome
        return Sent(ref=f"{chat_id}:{sent.message_id}")

    async def edit_or_send(self, recipient: str, ref: str | None, reply: Reply) -> SendOutcome:
        """A live status message: edit message `ref` ("chat:message_id") in place, or send it
        anew (silently) when there is none yet, it was deleted or can no longer be edited."""
        if not self.ready:
            return Transient(reason="telegram channel not started")
        messages = self.render(recipient, reply)
        if len(messages) != 1:  # too long for one message: a live card is one message or none
            return Permanent(reason=f"live status renders as {len(messages)} messages")
        [message] = messages
        chat, _, message_id = (ref or "").rpartition(":")
        if chat == recipient and message_id.isdigit():
            outcome = await self.edit(recipient, int(message_id), message)
            if not _gone(outcome):
                return outcome
        return await self.send_one(recipient, message, silent=True)

    async def edit(self, chat_id: str, message_id: int, message: RenderedMessage) -> SendOutcome:
        """Replace the text and keyboard of an earlier message (a refreshed order card)."""
        try:
            async with self.pacer.turn(chat_id):
                await self.bot.edit_message_text(
                    chat_id=chat_id,
                    message_id=message_id,
                    text=message.html,
                    parse_mode=ParseMode.HTML,
                    reply_markup=message.keyboard,
                )
        except BadRequest as exc:
            if "message is not modified" in str(exc).lower():
                return Sent(ref=f"{chat_id}:{message_id}")  # nothing changed: still current
            return outcome_of(exc)
        except TelegramError as exc:
            outcome = outcome_of(exc)
            if isinstance(outcome, RateLimited):
                self.pacer.back_off(chat_id, outcome.retry_after)
            return outcome
        return Sent(ref=f"{chat_id}:{message_id}")


# Bot API refusals of an edit that a new message fixes: the shopper deleted the message, or
# Telegram no longer lets the bot change it.
_GONE = ("message to edit not found", "message can't be edited", "message_id_invalid")


def _gone(outcome: SendOutcome) -> bool:
    return isinstance(outcome, Permanent) and any(g in outcome.reason.lower() for g in _GONE)

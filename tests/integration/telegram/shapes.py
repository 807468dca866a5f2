"""Telegram's JSON shapes for the stand-in Bot API server: users, updates, what the bot sent."""

from __future__ import annotations

import html
import itertools
import re
import time
from dataclasses import dataclass, field
from typing import Any

BOT_ID = 7000001
BOT_USERNAME = "wismo_test_bot"


@dataclass
class Fault:
    """An error answer for the next `times` calls of `method` (to `chat_id` if given)."""

    method: str
    status: int
    description: str
    retry_after: int | None = None
    chat_id: str | None = None
    times: int = 1


@dataclass
class Call:
    """One request the bot made: method, decoded parameters, when it arrived (monotonic)."""

    method: str
    params: dict[str, Any]
    at: float


@dataclass
class SentMessage:
    """A message the bot sent (or the latest text of one it edited)."""

    chat_id: str
    message_id: int
    text: str
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    at: float
    edits: list[str] = field(default_factory=list)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Inline buttons, flattened row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    def button(self, label_part: str) -> dict[str, Any]:
        """The first button whose label contains `label_part` (case-insensitive)."""
        for button in self.buttons:
            if label_part.lower() in button["text"].lower():
                return button
        labels = [b["text"] for b in self.buttons]
        raise AssertionError(f"no button like {label_part!r} in {labels}")


def bot_user() -> dict[str, Any]:
    """The bot itself, as getMe and a message's `from` show it."""
    return {"id": BOT_ID, "is_bot": True, "first_name": "wismo", "username": BOT_USERNAME}


class UpdateFactory:
    """Builds updates as Telegram sends them (ids increase, commands carry their entity)."""

    def __init__(self) -> None:
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)

    def next_message_id(self) -> int:
        return next(self._message_ids)

    def next_update_id(self) -> int:
        return next(self._update_ids)

    @staticmethod
    def user(chat_id: int, first_name: str = "Ada", language_code: str | None = "en") -> dict:
        user: dict[str, Any] = {"id": chat_id, "is_bot": False, "first_name": first_name}
        if language_code:
            user["language_code"] = language_code
        return user

    def message_update(
        self,
        chat_id: int,
        text: str | None = None,
        *,
        first_name: str = "Ada",
        language_code: str | None = "en",
        chat_type: str = "private",
        update_id: int | None = None,
        kind: str = "message",
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """An update carrying a message (kind: message, edited_message, channel_post)."""
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = first_name
        else:
            chat["title"] = "Some group"
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
        }
        if kind != "channel_post":
            user_id = chat_id if chat_type == "private" else 4242
            message["from"] = self.user(user_id, first_name, language_code)
        if kind == "edited_message":
            message["edit_date"] = int(time.time())
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        message.update(extra or {})
        return {"update_id": update_id or self.next_update_id(), kind: message}

    def callback_update(
        self,
        chat_id: int,
        data: str,
        message: SentMessage,
        *,
        first_name: str = "Ada",
        language_code: str | None = "en",
    ) -> dict[str, Any]:
        """A press on a button of `message` (what a Telegram client sends)."""
        return {
            "update_id": self.next_update_id(),
            "callback_query": {
                "id": str(next(self._message_ids)),
                "from": self.user(chat_id, first_name, language_code),
                "chat_instance": f"ci{chat_id}",
                "data": data,
                "message": {
                    "message_id": message.message_id,
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private", "first_name": first_name},
                    "from": bot_user(),
                    # Telegram returns the text without markup (formatting goes in entities).
                    "text": html.unescape(re.sub(r"<[^>]+>", "", message.text)),
                },
            },
        }

"""Inline-button callback data: `action|payload|signature`, at most 64 bytes.

Telegram clients can send any callback_data they like, so every button we render carries an
HMAC of (chat id, action, payload) made with wismo's secret key. A forged or altered callback,
or one replayed from another chat, fails the check and is refused before the core sees it.
The core still checks that the order belongs to the chat's verified customer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

CALLBACK_DATA_LIMIT = 64  # bytes; Telegram's limit on callback_data
_SIGNATURE_CHARS = 12  # 72 bits of HMAC-SHA256, base64url: far beyond guessing through a chat
_SEPARATOR = "|"


class CallbackTooLong(ValueError):
    """The button's action and payload do not fit in Telegram's 64 bytes with a signature."""


@dataclass(frozen=True)
class CallbackAction:
    """A verified button press: what to do and its argument."""

    action: str
    payload: str


class CallbackCodec:
    """Signs and verifies callback data for one secret key."""

    def __init__(self, secret_key: str) -> None:
        if not secret_key:
            raise ValueError("a secret key is required to sign callback data")
        self._key = hashlib.sha256(b"wismo-telegram-callback:" + secret_key.encode()).digest()

    def _signature(self, chat_id: str, action: str, payload: str) -> str:
        message = f"{chat_id}{_SEPARATOR}{action}{_SEPARATOR}{payload}".encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode()[:_SIGNATURE_CHARS]

    def encode(self, chat_id: str, action: str, payload: str) -> str:
        """The callback_data for a button with `action` and `payload`, shown in `chat_id`."""
        if not action or _SEPARATOR in action:
            raise ValueError(f"invalid button action {action!r}")
        data = _SEPARATOR.join((action, payload, self._signature(chat_id, action, payload)))
        if len(data.encode()) > CALLBACK_DATA_LIMIT:
            raise CallbackTooLong(
                f"button {action!r} needs {len(data.encode())} bytes of callback data "
                f"(limit {CALLBACK_DATA_LIMIT})"
            )
        return data

    def decode(self, chat_id: str, data: str | None) -> CallbackAction | None:
        """The verified action in `data` pressed in `chat_id`, or None for anything forged."""
        if not data:
            return None
        try:
            size = len(data.encode())
        except UnicodeEncodeError:  # a lone surrogate: no button of ours carries one
            return None
        if size > CALLBACK_DATA_LIMIT:
            return None
        action, sep1, rest = data.partition(_SEPARATOR)
        payload, sep2, signature = rest.rpartition(_SEPARATOR)
        if not (sep1 and sep2 and action and signature):
            return None
        expected = self._signature(chat_id, action, payload)
        if not hmac.compare_digest(expected.encode(), signature.encode()):
            return None
        return CallbackAction(action=action, payload=payload)

"""Telegram Mini App sign-in: check the `initData` Telegram hands a web app, as its docs say.

The data-check string is every field but `hash`, as `key=value` lines sorted by key; the
secret is HMAC-SHA256 of the bot token keyed with "WebAppData"; `hash` is the hex
HMAC-SHA256 of the data-check string with that secret. A page that trusts the user id in
`initData` without this check would show anyone's orders to anyone.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

MAX_INIT_DATA = 4096  # Telegram's initData is well under 1 KB


class InitDataRefused(ValueError):
    """initData that does not prove who is asking; the message says why (for logs)."""


@dataclass(frozen=True)
class WebAppUser:
    """The Telegram user the Mini App is open for (in a private chat: also the chat's id)."""

    id: int
    language_code: str | None
    signed_at: datetime


def check_init_data(
    init_data: str, bot_token: str, now: datetime, max_age: timedelta = timedelta(hours=24)
) -> WebAppUser:
    """The user `init_data` was signed for; InitDataRefused when forged, stale or malformed."""
    if not init_data or len(init_data) > MAX_INIT_DATA or "\x00" in init_data:
        raise InitDataRefused("missing or oversized initData")
    try:
        fields = dict(parse_qsl(init_data, keep_blank_values=True, strict_parsing=True))
    except ValueError:
        raise InitDataRefused("initData is not a query string") from None
    received = fields.pop("hash", "")
    check = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    expected = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(received.encode(), expected.encode()):
        raise InitDataRefused("initData signature does not match")
    try:
        signed_at = datetime.fromtimestamp(int(fields.get("auth_date", "")), UTC)
        user = json.loads(fields.get("user", ""))
        user_id = int(user["id"])
    except (ValueError, TypeError, KeyError, OverflowError, OSError):
        raise InitDataRefused("initData lacks auth_date or user") from None
    if not now - max_age <= signed_at <= now + timedelta(minutes=5):
        raise InitDataRefused("initData is too old")
    language = user.get("language_code")
    return WebAppUser(
        id=user_id,
        language_code=language if isinstance(language, str) else None,
        signed_at=signed_at,
    )

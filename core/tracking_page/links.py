"""Signed, expiring links to an order's tracking page (`/t/<token>`), for the shop's e-mails.

A token is `<order id>.<expiry>.<signature>` (ids and Unix seconds in base 36, an HMAC of
both with the shop's secret key): nothing is stored, every replica can check it, and a
token whose signature or shape is wrong never reaches the database. Unlike the Telegram
deep link it may be opened any number of times until it expires: it is the link a
shipping e-mail carries. It shows the order only, never verifies a chat by itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from core.runtime.config import CoreConfig

_SHAPE = re.compile(r"([0-9a-z]{1,13})\.([0-9a-z]{1,13})\.([A-Za-z0-9_-]{22})")
_LONGEST = 64  # anything longer is refused before it is parsed
_LARGEST_ID = 2**63 - 1  # a BIGINT


class PageLinkError(ValueError):
    """A tracking-page token that shows nothing; `reason` is "invalid" or "expired"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PageLink:
    """A checked token: the order it opens and until when."""

    order_id: int
    expires_at: datetime


def _base36(value: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        value, rest = divmod(value, 36)
        out = digits[rest] + out
        if value == 0:
            return out


def _signature(config: CoreConfig, payload: str) -> str:
    digest = hmac.new(
        config.secret_key.encode(), b"wismo-page:" + payload.encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def page_token(config: CoreConfig, order_id: int, now: datetime) -> str:
    """A token opening order `order_id`'s page until `now + config.tracking_link_ttl`."""
    expires = int((now + config.tracking_link_ttl).timestamp())
    payload = f"{_base36(order_id)}.{_base36(expires)}"
    return f"{payload}.{_signature(config, payload)}"


def page_url(config: CoreConfig, token: str) -> str:
    """The absolute address of the page for `token` (under `config.public_url`)."""
    return f"{config.public_url.rstrip('/')}/t/{token}"


def read_page_token(config: CoreConfig, token: str, now: datetime) -> PageLink:
    """The order a token opens; PageLinkError("invalid" | "expired") when it opens none."""
    match = _SHAPE.fullmatch(token) if len(token) <= _LONGEST else None
    if match is None:
        raise PageLinkError("invalid")
    order_part, expiry_part, signature = match.groups()
    expected = _signature(config, f"{order_part}.{expiry_part}")
    if not hmac.compare_digest(signature, expected):
        raise PageLinkError("invalid")
    order_id = int(order_part, 36)
    try:
        expires_at = datetime.fromtimestamp(int(expiry_part, 36), UTC)
    except (OverflowError, OSError, ValueError):
        raise PageLinkError("invalid") from None
    if order_id > _LARGEST_ID:
        raise PageLinkError("invalid")
    if now >= expires_at:
        raise PageLinkError("expired")
    return PageLink(order_id=order_id, expires_at=expires_at)

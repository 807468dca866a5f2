"""Ports the core calls out through; adapters implement them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from core.replies.reply import Reply


@dataclass(frozen=True)
class Sent:
    """Delivered; `ref` is the platform's message reference."""

    ref: str = ""


@dataclass(frozen=True)
class Blocked:
    """The recipient blocked us; stop pushing to them."""

    reason: str = "blocked"


@dataclass(frozen=True)
class RateLimited:
    """The platform asked us to wait `retry_after` seconds."""

    retry_after: float


@dataclass(frozen=True)
class Transient:
    """Worth retrying later (network error, 5xx)."""

    reason: str


@dataclass(frozen=True)
class Permanent:
    """Will never succeed as sent (other 4xx)."""

    reason: str


SendOutcome = Sent | Blocked | RateLimited | Transient | Permanent


class Sender(Protocol):
    """Delivers a reply to one recipient on one channel."""

    async def send(self, recipient: str, reply: Reply) -> SendOutcome:
        """Send and report the typed outcome; never raise for a platform refusal."""
        ...


class SendPace(Protocol):
    """Slots under a send limit shared by every replica of the bot (core.pushes.pace).

    `key` names what is limited: "all" for the bot as a whole, a channel id for a limit per
    channel. An adapter's sender awaits `wait(key)` before each call to the platform.
    """

    async def wait(self, key: str) -> None:
        """Return when one more message may be sent under `key`'s limit."""
        ...

"""Ports the core calls out through; adapters implement them."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
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
    """Turns under a send limit shared by every replica of the bot (core.pushes.pace).

    `key` names what is limited: "all" for the bot as a whole, a channel id for a limit per
    channel. An adapter's sender makes each platform call inside `async with
    pace.turn(key):`, which waits for a free slot and holds it while the call is in flight.
    """

    def turn(self, key: str) -> AbstractAsyncContextManager[None]:
        """A context that waits for one more send under `key`'s limit and holds it."""
        ...

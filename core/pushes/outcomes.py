"""What happens to one claimed push after the sender answers (see `core.pushes.dispatch`)."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core.pushes.retry import RetryPolicy
from core.replies.reply import Reply
from core.replies.sender import (
    Blocked,
    Permanent,
    RateLimited,
    Sender,
    SendOutcome,
    Sent,
    Transient,
)
from core.runtime.clock import Clock

log = logging.getLogger(__name__)

_ERROR_LIMIT = 500  # Notification.last_error
_REF_LIMIT = 128  # Notification.external_ref


@dataclass(frozen=True)
class Claimed:
    """A push this dispatcher holds the lease on."""

    id: int
    channel: str
    recipient: str
    reply: dict[str, Any]
    attempts: int  # including the attempt being made now
    identity_id: int | None
    not_before: datetime


@dataclass(frozen=True)
class Verdict:
    """The new state of a claimed push, and which statistic it counts towards."""

    item: Claimed
    state: str
    counter: str
    outcome: SendOutcome | None = None
    not_before: datetime | None = None
    attempts: int | None = None
    last_error: str | None = None
    external_ref: str | None = None
    sent_at: datetime | None = None
    blocked: bool = False

    @classmethod
    def release(cls, item: Claimed) -> Verdict:
        """Hand the push back untried (its channel paused mid-batch); the try does not count."""
        return cls(item, "pending", "released", attempts=item.attempts - 1)

    @property
    def metric_outcome(self) -> str | None:
        """The push's outcome as /metrics labels it; None for a push handed back untried."""
        if self.counter == "released":
            return None
        if self.counter == "retried":
            return "transient"
        if self.counter == "failed":
            # Out of attempts on a transient error, or refused for good.
            return "failed" if isinstance(self.outcome, Transient) else "permanent"
        return self.counter  # sent, blocked, rate_limited

    def row(self) -> dict[str, Any]:
        """Bound parameters for the dispatcher's bulk UPDATE."""
        return {
            "b_id": self.item.id,
            "b_state": self.state,
            "b_not_before": self.not_before or self.item.not_before,
            "b_attempts": self.item.attempts if self.attempts is None else self.attempts,
            "b_claimed_by": None,
            "b_lease_until": None,
            "b_last_error": self.last_error[:_ERROR_LIMIT] if self.last_error else None,
            "b_external_ref": self.external_ref[:_REF_LIMIT] if self.external_ref else None,
            "b_sent_at": self.sent_at,
        }


async def judge(
    sender: Sender, item: Claimed, clock: Clock, retry: RetryPolicy, rng: random.Random
) -> Verdict:
    """Send `item` and decide its fate from the outcome (a raising sender counts as transient)."""
    try:
        reply = Reply.from_dict(item.reply)
    except (KeyError, TypeError, ValueError) as exc:
        return Verdict(
            item,
            "failed",
            "failed",
            Permanent("unreadable reply"),
            last_error=f"unreadable reply: {exc}",
        )
    try:
        outcome = await sender.send(item.recipient, reply)
    except Exception as exc:
        log.exception("sender for %s raised on push %s", item.channel, item.id)
        outcome = Transient(f"{type(exc).__name__}: {exc}")
    now = clock.now()
    if isinstance(outcome, Sent):
        return Verdict(item, "sent", "sent", outcome, external_ref=outcome.ref or None, sent_at=now)
    if isinstance(outcome, Blocked):
        return Verdict(
            item,
            "failed",
            "blocked",
            outcome,
            last_error=f"blocked: {outcome.reason}",
            blocked=True,
        )
    if isinstance(outcome, RateLimited):
        wait = timedelta(seconds=max(outcome.retry_after, 0.0))
        return Verdict(
            item,
            "pending",
            "rate_limited",
            outcome,
            not_before=now + wait,
            attempts=item.attempts - 1,  # the platform's pace, not the push's fault
            last_error=f"rate limited for {outcome.retry_after:g}s",
        )
    if isinstance(outcome, Transient):
        if retry.gives_up(item.attempts):
            return Verdict(
                item,
                "failed",
                "failed",
                outcome,
                last_error=f"gave up after {item.attempts} attempts: {outcome.reason}",
            )
        return Verdict(
            item,
            "pending",
            "retried",
            outcome,
            not_before=now + retry.delay(item.attempts, rng),
            last_error=outcome.reason,
        )
    reason = outcome.reason if isinstance(outcome, Permanent) else repr(outcome)
    return Verdict(item, "failed", "failed", outcome, last_error=reason)

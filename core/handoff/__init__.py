"""A shopper handed to a person: the Slack thread for a conversation, taking over and handing
back, relaying messages both ways, support hours, and what each side is told.

- threads (take_over, hand_back, agent_reply, close_idle), notes (internal notes that stay
  in Slack), opening (a thread's first card),
  notices and cards (what the shopper and the agent read), support_hours.
"""

from typing import TYPE_CHECKING

from core import lazy_exports

if TYPE_CHECKING:
    from core.handoff.notes import NOTE_LIMIT, add_note
    from core.handoff.notices import THREAD_CHANNEL
    from core.handoff.opening import thread_card_now
    from core.handoff.support_hours import parse_days, parse_hours
    from core.handoff.threads import (
        AlreadyTaken,
        HandoffError,
        ThreadNotFound,
        agent_reply,
        close_idle,
        get_thread,
        hand_back,
        take_over,
        thread_opened,
    )

__all__ = [
    "NOTE_LIMIT",
    "THREAD_CHANNEL",
    "AlreadyTaken",
    "HandoffError",
    "ThreadNotFound",
    "add_note",
    "agent_reply",
    "close_idle",
    "get_thread",
    "hand_back",
    "parse_days",
    "parse_hours",
    "take_over",
    "thread_card_now",
    "thread_opened",
]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "AlreadyTaken": "core.handoff.threads",
        "HandoffError": "core.handoff.threads",
        "NOTE_LIMIT": "core.handoff.notes",
        "THREAD_CHANNEL": "core.handoff.notices",
        "ThreadNotFound": "core.handoff.threads",
        "add_note": "core.handoff.notes",
        "agent_reply": "core.handoff.threads",
        "close_idle": "core.handoff.threads",
        "get_thread": "core.handoff.threads",
        "hand_back": "core.handoff.threads",
        "parse_days": "core.handoff.support_hours",
        "parse_hours": "core.handoff.support_hours",
        "take_over": "core.handoff.threads",
        "thread_card_now": "core.handoff.opening",
        "thread_opened": "core.handoff.threads",
    },
)

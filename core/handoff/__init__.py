"""A shopper handed to a person: the Slack thread for a conversation, taking over and handing
back, relaying messages both ways, support hours, and what each side is told.

- threads (take_over, hand_back, agent_reply, close_idle), opening (a thread's first card),
  notices and cards (what the shopper and the agent read), support_hours.
"""

from core.handoff.notices import THREAD_CHANNEL
from core.handoff.opening import thread_card_now
from core.handoff.support_hours import parse_days, parse_hours
from core.handoff.threads import (
    AlreadyTaken,
    HandoffError,
    agent_reply,
    close_idle,
    hand_back,
    take_over,
)

__all__ = [
    "THREAD_CHANNEL",
    "AlreadyTaken",
    "HandoffError",
    "agent_reply",
    "close_idle",
    "hand_back",
    "parse_days",
    "parse_hours",
    "take_over",
    "thread_card_now",
]

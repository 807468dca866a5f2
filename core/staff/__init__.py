"""What support staff see and do: order look-ups and staff cards, flags (raise, assign, resolve),
exception detection (late, stuck, failed parcels) and the daily digest.

- lookup (`lookup_reply`, `staff_order_card`), cards (flag and return cards, labels).
- flags, assignment ("Assign to me"), detection (`Detector`), digest (`post_daily_digest`),
  routes (which channel an alert goes to: `alert_channel`, `parse_routes` for
  WISMO_SLACK_ROUTES), message_search (what a Slack message names, for the shortcuts).
- queue (`staff_queue`: the Home tab's queue) and today (its figures).
"""

from typing import TYPE_CHECKING

from core import lazy_exports

if TYPE_CHECKING:
    from core.staff.assignment import assign_flag
    from core.staff.cards import (
        DECLINE_REASON_LABELS,
        STAFF_FLAG_KINDS,
        actor_label,
        flag_label,
        return_card,
        when,
    )
    from core.staff.detection import Detector
    from core.staff.digest import post_daily_digest
    from core.staff.flags import (
        MAX_NOTE,
        FlagAlreadyResolved,
        FlagError,
        FlagNotFound,
        flag_card_of,
        raise_flag,
        resolve_flag,
    )
    from core.staff.lookup import extract_query, lookup_reply, staff_order_card
    from core.staff.message_search import guess_flag_kind, order_number_in, queries_in
    from core.staff.queue import (
        FLAG_GROUPS,
        FlagGroup,
        QueuedFlag,
        QueuedHandoff,
        QueuedReturn,
        StaffQueue,
        age_words,
        staff_queue,
    )
    from core.staff.queue_card import queue_reply
    from core.staff.routes import alert_channel, parse_routes
    from core.staff.today import TodayFigures

__all__ = [
    "DECLINE_REASON_LABELS",
    "FLAG_GROUPS",
    "MAX_NOTE",
    "STAFF_FLAG_KINDS",
    "Detector",
    "FlagAlreadyResolved",
    "FlagError",
    "FlagGroup",
    "FlagNotFound",
    "QueuedFlag",
    "QueuedHandoff",
    "QueuedReturn",
    "StaffQueue",
    "TodayFigures",
    "actor_label",
    "age_words",
    "alert_channel",
    "assign_flag",
    "extract_query",
    "flag_card_of",
    "flag_label",
    "guess_flag_kind",
    "lookup_reply",
    "order_number_in",
    "parse_routes",
    "post_daily_digest",
    "queries_in",
    "queue_reply",
    "raise_flag",
    "resolve_flag",
    "return_card",
    "staff_order_card",
    "staff_queue",
    "when",
]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "DECLINE_REASON_LABELS": "core.staff.cards",
        "Detector": "core.staff.detection",
        "FLAG_GROUPS": "core.staff.queue",
        "FlagGroup": "core.staff.queue",
        "QueuedFlag": "core.staff.queue",
        "QueuedHandoff": "core.staff.queue",
        "QueuedReturn": "core.staff.queue",
        "StaffQueue": "core.staff.queue",
        "TodayFigures": "core.staff.today",
        "age_words": "core.staff.queue",
        "assign_flag": "core.staff.assignment",
        "FlagAlreadyResolved": "core.staff.flags",
        "FlagError": "core.staff.flags",
        "FlagNotFound": "core.staff.flags",
        "MAX_NOTE": "core.staff.flags",
        "STAFF_FLAG_KINDS": "core.staff.cards",
        "actor_label": "core.staff.cards",
        "alert_channel": "core.staff.routes",
        "extract_query": "core.staff.lookup",
        "flag_card_of": "core.staff.flags",
        "flag_label": "core.staff.cards",
        "guess_flag_kind": "core.staff.message_search",
        "lookup_reply": "core.staff.lookup",
        "order_number_in": "core.staff.message_search",
        "parse_routes": "core.staff.routes",
        "post_daily_digest": "core.staff.digest",
        "queries_in": "core.staff.message_search",
        "queue_reply": "core.staff.queue_card",
        "raise_flag": "core.staff.flags",
        "resolve_flag": "core.staff.flags",
        "return_card": "core.staff.cards",
        "staff_order_card": "core.staff.lookup",
        "staff_queue": "core.staff.queue",
        "when": "core.staff.cards",
    },
)

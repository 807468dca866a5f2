"""What support staff see and do: order look-ups and staff cards, flags (raise, assign, resolve),
exception detection (late, stuck, failed parcels) and the daily digest.

- lookup (`lookup_reply`, `staff_order_card`), cards (flag and return cards, labels).
- flags, detection (`Detector`), digest (`post_daily_digest`), routes (which channel an alert
  goes to: `alert_channel`, `parse_routes` for WISMO_SLACK_ROUTES).
"""

from typing import TYPE_CHECKING

from core import lazy_exports

if TYPE_CHECKING:
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
    from core.staff.routes import alert_channel, parse_routes

__all__ = [
    "DECLINE_REASON_LABELS",
    "MAX_NOTE",
    "STAFF_FLAG_KINDS",
    "Detector",
    "FlagAlreadyResolved",
    "FlagError",
    "FlagNotFound",
    "actor_label",
    "alert_channel",
    "extract_query",
    "flag_card_of",
    "flag_label",
    "guess_flag_kind",
    "lookup_reply",
    "order_number_in",
    "parse_routes",
    "post_daily_digest",
    "queries_in",
    "raise_flag",
    "resolve_flag",
    "return_card",
    "staff_order_card",
    "when",
]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "DECLINE_REASON_LABELS": "core.staff.cards",
        "Detector": "core.staff.detection",
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
        "raise_flag": "core.staff.flags",
        "resolve_flag": "core.staff.flags",
        "return_card": "core.staff.cards",
        "staff_order_card": "core.staff.lookup",
        "when": "core.staff.cards",
    },
)

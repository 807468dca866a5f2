"""What support staff see and do: order look-ups and staff cards, flags (raise, assign, resolve),
exception detection (late, stuck, failed parcels) and the daily digest.

- lookup (`lookup_reply`, `staff_order_card`), cards (flag and return cards, labels).
- flags, detection (`Detector`), digest (`post_daily_digest`).
"""

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

__all__ = [
    "DECLINE_REASON_LABELS",
    "MAX_NOTE",
    "STAFF_FLAG_KINDS",
    "Detector",
    "FlagAlreadyResolved",
    "FlagError",
    "FlagNotFound",
    "actor_label",
    "extract_query",
    "flag_card_of",
    "flag_label",
    "lookup_reply",
    "post_daily_digest",
    "raise_flag",
    "resolve_flag",
    "return_card",
    "staff_order_card",
    "when",
]

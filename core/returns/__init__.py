"""Returns: the policy (window, returnable items, reasons), requesting, approving and declining,
receiving and refunding, and what each step tells the shopper and staff.

- requests (request, approve, decline, mark_received, mark_refunded), policy, errors.
- effects (the cards and notices a decision causes), notices (shopper wording), queries.
"""

from typing import TYPE_CHECKING

from core import lazy_exports

if TYPE_CHECKING:
    from core.returns.errors import AlreadyDecided, ReturnError, ReturnNotFound, WrongState
    from core.returns.policy import DECLINE_REASONS
    from core.returns.queries import ReturnRecord, list_returns, return_record
    from core.returns.requests import (
        DECLINE_NOTE_LIMIT,
        approve,
        decline,
        mark_received,
        mark_refunded,
    )

__all__ = [
    "DECLINE_NOTE_LIMIT",
    "DECLINE_REASONS",
    "AlreadyDecided",
    "ReturnError",
    "ReturnNotFound",
    "ReturnRecord",
    "WrongState",
    "approve",
    "decline",
    "list_returns",
    "mark_received",
    "mark_refunded",
    "return_record",
]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "AlreadyDecided": "core.returns.errors",
        "DECLINE_NOTE_LIMIT": "core.returns.requests",
        "DECLINE_REASONS": "core.returns.policy",
        "ReturnError": "core.returns.errors",
        "ReturnNotFound": "core.returns.errors",
        "ReturnRecord": "core.returns.queries",
        "WrongState": "core.returns.errors",
        "approve": "core.returns.requests",
        "decline": "core.returns.requests",
        "list_returns": "core.returns.queries",
        "mark_received": "core.returns.requests",
        "mark_refunded": "core.returns.requests",
        "return_record": "core.returns.queries",
    },
)

"""Returns: the policy (window, returnable items, reasons), requesting, approving and declining,
receiving and refunding, and what each step tells the shopper and staff.

- requests (request, approve, decline, mark_received, mark_refunded), policy, errors.
- effects (the cards and notices a decision causes), notices (shopper wording), queries.
"""

from core.returns.errors import AlreadyDecided, ReturnError, ReturnNotFound, WrongState
from core.returns.policy import DECLINE_REASONS
from core.returns.queries import ReturnRecord, list_returns, return_record
from core.returns.requests import DECLINE_NOTE_LIMIT, approve, decline, mark_received, mark_refunded

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

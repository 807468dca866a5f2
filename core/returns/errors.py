"""Why a return step was refused. Each error carries what a shopper or agent needs to hear.

`core.returns.requests` re-exports every name here; import them from there.
"""

from __future__ import annotations

from datetime import datetime


class ReturnError(Exception):
    """A return step was refused; `code` is stable for adapters and the API."""

    code = "return_error"


class ReturnNotFound(ReturnError):
    """No return request has this id."""

    code = "not_found"

    def __init__(self, return_id: int) -> None:
        super().__init__(f"no return request {return_id}")
        self.return_id = return_id


class NotYourOrder(ReturnError):
    """The order (or return) does not belong to the verified shopper asking."""

    code = "not_your_order"

    def __init__(self) -> None:
        super().__init__("that order does not belong to this shopper")


class NotDelivered(ReturnError):
    """The order has not been delivered yet, so nothing can be sent back."""

    code = "not_delivered"

    def __init__(self, order_number: str) -> None:
        super().__init__(f"order {order_number} has not been delivered")
        self.order_number = order_number


class OutsideReturnWindow(ReturnError):
    """The return window, counted from delivery, closed at `deadline`."""

    code = "outside_return_window"

    def __init__(self, order_number: str, deadline: datetime) -> None:
        super().__init__(f"the return window of order {order_number} closed at {deadline}")
        self.order_number = order_number
        self.deadline = deadline


class NotReturnable(ReturnError):
    """Final-sale items, which the shop does not take back."""

    code = "not_returnable"

    def __init__(self, item_names: list[str]) -> None:
        super().__init__("final sale: " + ", ".join(item_names))
        self.item_names = item_names


class ItemAlreadyInReturn(ReturnError):
    """An item is already part of an open (or completed) return."""

    code = "item_already_in_return"

    def __init__(self, item_names: list[str]) -> None:
        super().__init__("already in a return: " + ", ".join(item_names))
        self.item_names = item_names


class ItemNotInOrder(ReturnError):
    """An item id that is not part of the order (a forged or stale choice)."""

    code = "item_not_in_order"

    def __init__(self, item_id: int) -> None:
        super().__init__(f"item {item_id} is not part of this order")
        self.item_id = item_id


class InvalidQuantity(ReturnError):
    """A quantity below one or above what is left to return."""

    code = "invalid_quantity"

    def __init__(self, item_name: str, asked: int, available: int) -> None:
        super().__init__(f"{asked} x {item_name} asked, {available} can be returned")
        self.item_name = item_name
        self.asked = asked
        self.available = available


class NoItemsChosen(ReturnError):
    """A return needs at least one item."""

    code = "no_items"

    def __init__(self) -> None:
        super().__init__("choose at least one item to return")


class UnknownReason(ReturnError):
    """A return or decline reason outside the fixed lists."""

    code = "unknown_reason"

    def __init__(self, reason: str, allowed: tuple[str, ...]) -> None:
        super().__init__(f"unknown reason {reason!r}; expected one of {', '.join(allowed)}")
        self.reason = reason
        self.allowed = allowed


class TextTooLong(ReturnError):
    """A comment or decline note longer than allowed."""

    code = "text_too_long"

    def __init__(self, what: str, limit: int) -> None:
        super().__init__(f"the {what} is longer than {limit} characters")
        self.what = what
        self.limit = limit


class WrongState(ReturnError):
    """The request is not in a state that allows this step (e.g. receiving a declined return).

    `by` and `at` say who moved it to `state` and when, where known.
    """

    code = "wrong_state"

    def __init__(
        self, action: str, state: str, by: str | None = None, at: datetime | None = None
    ) -> None:
        who = f" by {by}" if by else ""
        super().__init__(f"cannot {action}: the return is already {state}{who}")
        self.action = action
        self.state = state
        self.by = by
        self.at = at


class AlreadyDecided(WrongState):
    """Approve/decline lost: someone else decided (or the shopper cancelled) first."""

    code = "already_decided"

    def __init__(
        self, by: str | None, at: datetime | None, state: str, action: str = "decide"
    ) -> None:
        super().__init__(action, state, by, at)

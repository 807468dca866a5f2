"""Returns: the shop's policy and a request's lifecycle.

requested → approved | declined;  approved → received → refunded;  requested → cancelled
(by the shopper, before a decision). Every step returns the updated `ReturnRequest` or
raises a `ReturnError` subclass (re-exported here from `core.returns.errors`), is written to
the audit log, and is pushed to the shopper through the outbox in the same transaction.
A new request posts the staff card (`core.staff.cards.return_card`) to the alerts
channel; steps not taken on that card (API, shopper) post its new state there too.

Decisions are conditional UPDATEs (`… WHERE state = 'requested'`) whose row count says
who won, so two agents clicking at once produce exactly one decision on every database.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.pushes.home_refresh import queue_changed
from core.returns import effects
from core.returns.errors import (
    AlreadyDecided,
    InvalidQuantity,
    ItemAlreadyInReturn,
    ItemNotInOrder,
    NoItemsChosen,
    NotDelivered,
    NotReturnable,
    NotYourOrder,
    OutsideReturnWindow,
    ReturnError,
    ReturnNotFound,
    TextTooLong,
    UnknownReason,
    WrongState,
)
from core.returns.policy import (
    ACTIVE_STATES,
    DECLINE_REASONS,
    REASONS,
    OrderEligibility,
    eligibility,
)
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.storage import audit
from core.storage.models import ChannelIdentity, Order, ReturnItem, ReturnRequest

__all__ = [
    "ACTIVE_STATES",
    "COMMENT_LIMIT",
    "DECLINE_NOTE_LIMIT",
    "DECLINE_REASONS",
    "REASONS",
    "AlreadyDecided",
    "InvalidQuantity",
    "ItemAlreadyInReturn",
    "ItemNotInOrder",
    "NoItemsChosen",
    "NotDelivered",
    "NotReturnable",
    "NotYourOrder",
    "OrderEligibility",
    "OutsideReturnWindow",
    "ReturnError",
    "ReturnNotFound",
    "TextTooLong",
    "UnknownReason",
    "WrongState",
    "approve",
    "cancel",
    "decline",
    "eligibility",
    "get_return",
    "items_of",
    "mark_received",
    "mark_refunded",
    "request_return",
]

COMMENT_LIMIT = 1000
DECLINE_NOTE_LIMIT = 500  # what Shopify allows for a note to the customer
_RMA_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def _rma_code() -> str:
    # Random rather than sequential: a label URL built from it must not be guessable.
    return "RMA-" + "".join(secrets.choice(_RMA_ALPHABET) for _ in range(8))


async def get_return(session: AsyncSession, return_id: int) -> ReturnRequest:
    """The request with this id, freshly read; ReturnNotFound otherwise."""
    result = await session.exec(
        select(ReturnRequest)
        .where(ReturnRequest.id == return_id)
        .execution_options(populate_existing=True)
    )
    request = result.first()
    if request is None:
        raise ReturnNotFound(return_id)
    return request


async def items_of(session: AsyncSession, return_id: int) -> list[ReturnItem]:
    """The items (with quantities) of one return request."""
    result = await session.exec(
        select(ReturnItem).where(ReturnItem.return_id == return_id).order_by(col(ReturnItem.id))
    )
    return list(result.all())


async def request_return(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    *,
    identity: ChannelIdentity,
    order_id: int,
    items: dict[int, int],
    reason: str,
    comment: str = "",
) -> ReturnRequest:
    """Open a return for `items` (order item id -> quantity) of one of the shopper's orders.

    Checks, in order: ownership, reason, comment length, items belong to the order, the
    order was delivered and the window is open, no final-sale item, no item already in a
    return, quantities available. Nothing is written unless every check passes.
    """
    order = (
        await session.exec(select(Order).where(Order.id == order_id).with_for_update())
    ).first()
    verified = identity.customer_id is not None and identity.verified_at is not None
    if order is None or not verified or order.customer_id != identity.customer_id:
        raise NotYourOrder()
    if reason not in REASONS:
        raise UnknownReason(reason, tuple(REASONS))
    comment = comment.strip()
    if len(comment) > COMMENT_LIMIT:
        raise TextTooLong("comment", COMMENT_LIMIT)
    if not items:
        raise NoItemsChosen()
    policy = await eligibility(session, clock, config, order)
    by_id = {entry.item.id: entry for entry in policy.items}
    for item_id in items:
        if item_id not in by_id:
            raise ItemNotInOrder(item_id)
    if policy.delivered_at is None:
        raise NotDelivered(order.number)
    if policy.deadline is not None and clock.now() > policy.deadline:
        raise OutsideReturnWindow(order.number, policy.deadline)
    chosen = [by_id[item_id] for item_id in items]
    final_sale = [e.item.name for e in chosen if e.refusal == "final_sale"]
    if final_sale:
        raise NotReturnable(final_sale)
    taken = [e.item.name for e in chosen if e.refusal in ("in_return", "returned")]
    if taken:
        raise ItemAlreadyInReturn(taken)
    for entry in chosen:
        asked = items[entry.item.id]  # type: ignore[index]
        if asked < 1 or asked > entry.available:
            raise InvalidQuantity(entry.item.name, asked, entry.available)

    now = clock.now()
    request = ReturnRequest(
        order_id=order_id,
        identity_id=identity.id,
        state="requested",
        reason=reason,
        comment=comment,
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    await session.flush()
    assert request.id is not None
    for item_id, qty in items.items():
        session.add(ReturnItem(return_id=request.id, order_item_id=item_id, qty=qty))
    await session.flush()
    await effects.sync_order_status(session, clock, order)
    await audit.record(
        session,
        clock,
        actor=f"{identity.channel}:{identity.external_id}",
        action="return.requested",
        subject_type="return",
        subject_id=request.id,
        after={
            "order": order.number,
            "items": {str(k): v for k, v in items.items()},
            "reason": reason,
        },
    )
    await effects.alert_staff(session, clock, config, request, order, kind="return_requested")
    await queue_changed(session, clock)
    return request


async def approve(
    session: AsyncSession, clock: Clock, config: CoreConfig, return_id: int, *, actor: str
) -> ReturnRequest:
    """Approve a requested return: give it an RMA code and send the shopper the instructions.

    Raises AlreadyDecided when another decision (or the shopper's cancel) came first.
    """
    now = clock.now()
    rma = _rma_code()
    won = await _move(
        session,
        return_id,
        "requested",
        state="approved",
        decided_by=actor,
        decided_at=now,
        rma_code=rma,
        updated_at=now,
    )
    if not won:
        raise await _lost(session, return_id, "approve")
    request = await get_return(session, return_id)
    await _after_step(session, clock, config, request, actor, "requested", "approved", {"rma": rma})
    return request


async def decline(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    return_id: int,
    *,
    actor: str,
    reason: str,
    note: str = "",
) -> ReturnRequest:
    """Decline a requested return with a reason (final_sale, return_period_ended, other).

    The note (at most 500 characters) is shown to the shopper as written.
    """
    if reason not in DECLINE_REASONS:
        raise UnknownReason(reason, tuple(DECLINE_REASONS))
    note = note.strip()
    if len(note) > DECLINE_NOTE_LIMIT:
        raise TextTooLong("note", DECLINE_NOTE_LIMIT)
    now = clock.now()
    won = await _move(
        session,
        return_id,
        "requested",
        state="declined",
        decided_by=actor,
        decided_at=now,
        decline_reason=reason,
        decline_note=note,
        updated_at=now,
    )
    if not won:
        raise await _lost(session, return_id, "decline")
    request = await get_return(session, return_id)
    await _after_step(
        session, clock, config, request, actor, "requested", "declined", {"reason": reason}
    )
    return request


async def mark_received(
    session: AsyncSession, clock: Clock, config: CoreConfig, return_id: int, *, actor: str
) -> ReturnRequest:
    """The shop has the parcel back; only an approved return can be received."""
    now = clock.now()
    if not await _move(
        session, return_id, "approved", state="received", received_at=now, updated_at=now
    ):
        raise await _wrong_state(session, return_id, "mark it received")
    request = await get_return(session, return_id)
    await _after_step(session, clock, config, request, actor, "approved", "received", {})
    return request


async def mark_refunded(
    session: AsyncSession, clock: Clock, config: CoreConfig, return_id: int, *, actor: str
) -> ReturnRequest:
    """The money went back; only a received return can be refunded."""
    now = clock.now()
    if not await _move(
        session, return_id, "received", state="refunded", refunded_at=now, updated_at=now
    ):
        raise await _wrong_state(session, return_id, "mark it refunded")
    request = await get_return(session, return_id)
    await _after_step(session, clock, config, request, actor, "received", "refunded", {})
    return request


async def cancel(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    return_id: int,
    *,
    identity: ChannelIdentity,
) -> ReturnRequest:
    """The shopper withdraws their own request; only possible before a decision."""
    request = await get_return(session, return_id)
    if request.identity_id != identity.id:
        raise NotYourOrder()
    now = clock.now()
    if not await _move(
        session, return_id, "requested", state="cancelled", cancelled_at=now, updated_at=now
    ):
        raise await _lost(session, return_id, "cancel")
    request = await get_return(session, return_id)
    actor = f"{identity.channel}:{identity.external_id}"
    await _after_step(session, clock, config, request, actor, "requested", "cancelled", {})
    return request


async def _move(session: AsyncSession, return_id: int, from_state: str, **values: Any) -> bool:
    """Conditionally move one request out of `from_state`; True when this call did it."""
    result = await session.exec(
        update(ReturnRequest)
        .where(col(ReturnRequest.id) == return_id, col(ReturnRequest.state) == from_state)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def _lost(session: AsyncSession, return_id: int, action: str) -> ReturnError:
    request = await get_return(session, return_id)  # ReturnNotFound propagates from here
    by, at = _who_and_when(request)
    return AlreadyDecided(by, at, request.state, action)


async def _wrong_state(session: AsyncSession, return_id: int, action: str) -> ReturnError:
    request = await get_return(session, return_id)
    by, at = _who_and_when(request)
    return WrongState(action, request.state, by, at)


def _who_and_when(request: ReturnRequest) -> tuple[str | None, datetime | None]:
    if request.state == "cancelled":
        return "the shopper", request.cancelled_at
    at = {
        "received": request.received_at,
        "refunded": request.refunded_at,
    }.get(request.state, request.decided_at)
    return request.decided_by, at


async def _after_step(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    request: ReturnRequest,
    actor: str,
    previous: str,
    state: str,
    details: dict[str, Any],
) -> None:
    # `previous` is certain: the step's conditional UPDATE matched only that state.
    order = await session.get(Order, request.order_id)
    assert order is not None and request.id is not None
    await effects.sync_order_status(session, clock, order)
    await audit.record(
        session,
        clock,
        actor=actor,
        action=f"return.{state}",
        subject_type="return",
        subject_id=request.id,
        before={"state": previous},
        after={"state": state, **details},
    )
    if state != "cancelled":  # the shopper cancelled it themselves and was answered in chat
        await effects.notify_shopper(session, clock, config, request, order, state)
    if not actor.startswith("slack:"):
        # A step taken on the Slack card updates that card itself; any other step (the
        # shop's API, the shopper cancelling) is announced so the card does not go stale.
        await effects.alert_staff(session, clock, config, request, order, kind="return_updated")
    if previous == "requested":  # it left the queue of returns waiting for a decision
        await queue_changed(session, clock)

""" "Where is my refund?": the return's real state and dates — never a new return.

The newest return request of the order says requested, approved, received and refunded with
their dates (declined and withdrawn ones say so); with no return yet the shopper is told
and offered one. An open return (requested, approved, received) reaches staff as a
`refund_status` flag: someone is waiting for money.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.conversation.flow_context import FlowContext
from core.conversation.problem_replies import Assessment
from core.replies.messages import format_moment
from core.replies.reply import Button
from core.storage.models import Order, ReturnRequest
from core.tracking.views import OrderView

_OPEN = frozenset({"requested", "approved", "received"})


@dataclass(frozen=True)
class ReturnOrder:
    """An order of the customer's that has a return request."""

    number: str


async def customer_return_orders(
    session: AsyncSession, customer_id: int, limit: int
) -> list[ReturnOrder]:
    """The customer's orders with a return request, newest request first."""
    rows = await session.exec(
        select(Order.number, ReturnRequest.created_at)
        .join(ReturnRequest, col(ReturnRequest.order_id) == col(Order.id))
        .where(Order.customer_id == customer_id)
        .order_by(col(ReturnRequest.created_at).desc(), col(ReturnRequest.id).desc())
        .limit(limit * 4)
    )
    numbers: list[str] = []
    for number, _ in rows.all():
        if number not in numbers:
            numbers.append(number)
    return [ReturnOrder(n) for n in numbers[:limit]]


async def refund_status(ctx: FlowContext, view: OrderView) -> Assessment:
    """The newest return of the order with its dates and what happens next."""
    found = Assessment()
    request = (
        await ctx.session.exec(
            select(ReturnRequest)
            .where(ReturnRequest.order_id == view.id)
            .order_by(col(ReturnRequest.created_at).desc(), col(ReturnRequest.id).desc())
            .limit(1)
        )
    ).first()
    if request is None:
        found.paragraphs.append(ctx.t("problem.refund.none", number=view.number))
        found.buttons.append(Button(ctx.t("button.return"), "return", view.number))
        return found

    def moment(at: datetime | None) -> str:
        return format_moment(at, ctx.tz, ctx.locale) if at else ""

    decided = "approved" if request.state in ("approved", "received", "refunded") else None
    if request.state == "declined":
        decided = "declined"
    steps = [
        ("requested", request.created_at),
        (decided, request.decided_at) if decided else (None, None),
        ("received", request.received_at),
        ("refunded", request.refunded_at),
        ("cancelled", request.cancelled_at),
    ]
    lines = [
        f"{ctx.t(f'problem.refund.{name}')}: {moment(at)}" for name, at in steps if name and at
    ]
    title = ctx.t("problem.refund.title", number=view.number)
    if request.rma_code:
        lines.append(f"{ctx.t('problem.refund.code')}: {request.rma_code}")
    found.paragraphs.append(f"{title}\n" + "\n".join(lines))
    state = request.state if request.state in _NEXT_STATES else "requested"
    found.paragraphs.append(
        ctx.t(f"problem.refund.next.{state}", moment=moment(request.refunded_at))
    )
    if request.state in _OPEN:
        found.for_staff = True
        found.facts.append(
            f"Return #{request.id} ({request.rma_code or 'no RMA code'}) is {request.state}; "
            + "; ".join(f"{name} {at:%Y-%m-%d}" for name, at in steps if name and at)
        )
    if request.state == "declined":
        found.buttons.append(Button(ctx.t("button.human"), "human", view.number))
    return found


_NEXT_STATES = frozenset({"requested", "approved", "received", "refunded", "declined", "cancelled"})

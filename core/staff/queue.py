"""The support queue one staff member works from (their Slack Home tab, the staff demo).

Open flags grouped by kind (late, stuck, failed, carrier exception, shopper reports, raised
by staff), oldest first; return requests waiting for a decision; hand-offs waiting for a
person; what is assigned to this staff member; and today's figures. Each list is cut to its
oldest few, with the full count beside it, so a busy shop's queue stays one screen; every
count is one grouped query, never a walk over all orders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.staff.cards import flag_label
from core.staff.today import TodayFigures, today_figures
from core.storage.models import Flag as FlagRow
from core.storage.models import HandoffThread, Order, ReturnItem, ReturnRequest, Shipment

PER_GROUP = 5
NOTE_PREVIEW = 120
DETECTED_EXCEPTIONS = ("exception", "expired", "invalid_tracking")

# (group, heading): the order the Home tab shows the open flags in.
FLAG_GROUPS: tuple[tuple[str, str], ...] = (
    ("late", "Late"),
    ("stuck", "Stuck"),
    ("failed", "Failed delivery"),
    ("exception", "Carrier exception"),
    ("shopper", "Shopper reports"),
    ("staff", "Raised by staff"),
)


def age_words(span: timedelta) -> str:
    """How long something has waited, to the unit that matters: "3 d 4 h", "2 h 5 min"."""
    minutes = max(int(span.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min" if minutes else "under a minute"


def _group_condition(group: str) -> ColumnElement[bool]:
    """The SQL condition of one flag group (a shopper's report is one, whatever its kind)."""
    not_shopper = col(FlagRow.source) != "shopper"
    return {
        "shopper": col(FlagRow.source) == "shopper",
        "late": and_(not_shopper, col(FlagRow.kind) == "late"),
        "stuck": and_(not_shopper, col(FlagRow.kind) == "stuck"),
        "failed": and_(not_shopper, col(FlagRow.kind) == "failed_attempt"),
        "exception": and_(not_shopper, col(FlagRow.kind).in_(DETECTED_EXCEPTIONS)),
        "staff": and_(
            not_shopper,
            col(FlagRow.kind).not_in(("late", "stuck", "failed_attempt", *DETECTED_EXCEPTIONS)),
        ),
    }[group]


@dataclass(frozen=True)
class QueuedFlag:
    id: int
    group: str
    kind: str
    label: str
    order_number: str
    carrier: str | None
    source: str
    raised_at: datetime
    age: timedelta
    assigned_to: str | None  # an actor id ("slack:U123")
    note: str


@dataclass(frozen=True)
class FlagGroup:
    key: str
    heading: str
    total: int
    flags: list[QueuedFlag]


@dataclass(frozen=True)
class QueuedReturn:
    id: int
    order_number: str
    reason: str
    items: int
    requested_at: datetime
    age: timedelta


@dataclass(frozen=True)
class QueuedHandoff:
    id: int
    order_number: str | None
    state: str  # waiting|taken
    agent_id: str | None
    agent_name: str | None
    opened_at: datetime
    age: timedelta


@dataclass(frozen=True)
class StaffQueue:
    """What one staff member (`staff_id`, an actor id) has in front of them at `as_of`."""

    staff_id: str
    as_of: datetime
    flag_groups: list[FlagGroup]
    returns: list[QueuedReturn]
    returns_total: int
    handoffs: list[QueuedHandoff]
    handoffs_total: int
    my_flags: list[QueuedFlag]
    my_handoffs: list[QueuedHandoff]
    today: TodayFigures
    open_flags_total: int


async def _flags(
    session: AsyncSession, now: datetime, condition: ColumnElement[bool], limit: int
) -> list[QueuedFlag]:
    rows = await session.exec(
        select(FlagRow, Order.number, Shipment.carrier)
        .join(Order, col(Order.id) == col(FlagRow.order_id))
        .outerjoin(Shipment, col(Shipment.id) == col(FlagRow.shipment_id))
        .where(col(FlagRow.state) == "open", condition)
        .order_by(col(FlagRow.created_at), col(FlagRow.id))
        .limit(limit)
    )
    return [_queued_flag(flag, number, carrier, now) for flag, number, carrier in rows.all()]


def _queued_flag(flag: FlagRow, number: str, carrier: str | None, now: datetime) -> QueuedFlag:
    assert flag.id is not None
    group = group_of(flag.kind, flag.source)
    note = flag.note if len(flag.note) <= NOTE_PREVIEW else flag.note[: NOTE_PREVIEW - 1] + "…"
    return QueuedFlag(
        id=flag.id,
        group=group,
        kind=flag.kind,
        label=flag_label(flag.kind),
        order_number=number,
        carrier=carrier,
        source=flag.source,
        raised_at=flag.created_at,
        age=now - flag.created_at,
        assigned_to=flag.assigned_to,
        note=note,
    )


def group_of(kind: str, source: str) -> str:
    """The queue group of a flag of `kind` raised by `source` (see FLAG_GROUPS)."""
    if source == "shopper":
        return "shopper"
    by_kind = {"late": "late", "stuck": "stuck", "failed_attempt": "failed"}
    return by_kind.get(kind) or ("exception" if kind in DETECTED_EXCEPTIONS else "staff")


async def _group_totals(session: AsyncSession) -> dict[str, int]:
    rows = await session.exec(
        select(FlagRow.kind, FlagRow.source, func.count())
        .where(col(FlagRow.state) == "open")
        .group_by(col(FlagRow.kind), col(FlagRow.source))
    )
    totals: dict[str, int] = {group: 0 for group, _ in FLAG_GROUPS}
    for kind, source, count in rows.all():
        totals[group_of(kind, source)] += int(count)
    return totals


async def _returns(session: AsyncSession, now: datetime, limit: int) -> list[QueuedReturn]:
    items = (
        select(func.coalesce(func.sum(ReturnItem.qty), 0))
        .where(col(ReturnItem.return_id) == col(ReturnRequest.id))
        .scalar_subquery()
    )
    rows = await session.exec(
        select(ReturnRequest, Order.number, items)
        .join(Order, col(Order.id) == col(ReturnRequest.order_id))
        .where(col(ReturnRequest.state) == "requested")
        .order_by(col(ReturnRequest.created_at), col(ReturnRequest.id))
        .limit(limit)
    )
    found = []
    for request, number, count in rows.all():
        assert request.id is not None
        found.append(
            QueuedReturn(
                id=request.id,
                order_number=number,
                reason=request.reason,
                items=int(count or 0),
                requested_at=request.created_at,
                age=now - request.created_at,
            )
        )
    return found


async def _handoffs(
    session: AsyncSession, now: datetime, condition: ColumnElement[bool], limit: int
) -> list[QueuedHandoff]:
    rows = await session.exec(
        select(HandoffThread, Order.number)
        .outerjoin(Order, col(Order.id) == col(HandoffThread.order_id))
        .where(condition)
        .order_by(col(HandoffThread.created_at), col(HandoffThread.id))
        .limit(limit)
    )
    found = []
    for thread, number in rows.all():
        assert thread.id is not None
        found.append(
            QueuedHandoff(
                id=thread.id,
                order_number=number,
                state=thread.state,
                agent_id=thread.agent_id,
                agent_name=thread.agent_name,
                opened_at=thread.created_at,
                age=now - thread.created_at,
            )
        )
    return found


async def _count(session: AsyncSession, model: type, condition: ColumnElement[bool]) -> int:
    result = await session.exec(select(func.count()).select_from(model).where(condition))
    return int(result.one())


async def staff_queue(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    *,
    staff_id: str,
    per_group: int = PER_GROUP,
) -> StaffQueue:
    """The queue as `staff_id` ("slack:U123") sees it now: each list its oldest `per_group`."""
    now = clock.now()
    totals = await _group_totals(session)
    groups = []
    for key, heading in FLAG_GROUPS:
        flags = await _flags(session, now, _group_condition(key), per_group) if totals[key] else []
        groups.append(FlagGroup(key, heading, totals[key], flags))
    waiting = col(HandoffThread.state) == "waiting"
    mine = and_(col(HandoffThread.state) == "taken", col(HandoffThread.agent_id) == staff_id)
    returns_total = await _count(session, ReturnRequest, col(ReturnRequest.state) == "requested")
    handoffs_total = await _count(session, HandoffThread, waiting)
    open_flags_total = sum(totals.values())
    return StaffQueue(
        staff_id=staff_id,
        as_of=now,
        flag_groups=groups,
        returns=await _returns(session, now, per_group),
        returns_total=returns_total,
        handoffs=await _handoffs(session, now, waiting, per_group),
        handoffs_total=handoffs_total,
        my_flags=await _flags(session, now, col(FlagRow.assigned_to) == staff_id, per_group * 2),
        my_handoffs=await _handoffs(session, now, mine, per_group * 2),
        today=await today_figures(session, clock, config),
        open_flags_total=open_flags_total,
    )

"""Today's figures on the staff Home tab: open cases, the on-time rate, WISMO questions.

"Today" starts at midnight in the shop's zone (WISMO_TIMEZONE). The on-time rate counts the
parcels delivered today whose order had a promised date, as `wismo insights` does; WISMO
questions are the shoppers' "where is my order?" messages, split by who answered them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import case, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.insights import queries
from core.insights.report import week_anchor
from core.insights.types import WISMO_INTENTS, rate
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.runtime.zones import zone
from core.storage.models import Flag, HandoffThread, InboundLog, ReturnRequest


@dataclass(frozen=True)
class TodayFigures:
    since: datetime  # midnight in the shop's zone, as a UTC moment
    open_cases: int  # open flags + returns waiting for a decision + hand-offs still open
    delivered: int
    with_promise: int
    on_time: int
    on_time_rate: float | None  # on_time / with_promise; None when nothing was promised
    wismo_questions: int
    answered_by_bot: int
    answered_by_staff: int


def start_of_day(now: datetime, timezone: str) -> datetime:
    """Midnight of `now`'s day in `timezone`, as a UTC moment (how the database compares)."""
    local = now.astimezone(zone(timezone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


async def _count(session: AsyncSession, statement: object) -> int:
    return int((await session.exec(statement)).one())  # type: ignore[call-overload]


async def open_cases(session: AsyncSession) -> int:
    """Everything staff still have to act on, counted in the database."""
    flags = select(func.count()).select_from(Flag).where(col(Flag.state) == "open")
    returns = (
        select(func.count())
        .select_from(ReturnRequest)
        .where(col(ReturnRequest.state) == "requested")
    )
    handoffs = (
        select(func.count())
        .select_from(HandoffThread)
        .where(col(HandoffThread.state).in_(("waiting", "taken")))
    )
    return sum([await _count(session, q) for q in (flags, returns, handoffs)])


async def today_figures(session: AsyncSession, clock: Clock, config: CoreConfig) -> TodayFigures:
    """The figures from midnight (shop time) until now."""
    now = clock.now()
    since = start_of_day(now, config.timezone)
    scope = queries.Scope(since=since, until=now, carrier=None, anchor=week_anchor(since))
    rows = await queries.deliveries(session, scope)
    delivered = sum(r.delivered for r in rows)
    with_promise = sum(r.with_promise for r in rows)
    on_time = sum(r.on_time for r in rows)
    asked = await session.exec(
        select(
            func.count(),
            func.coalesce(func.sum(case((col(InboundLog.answered_by_bot), 1), else_=0)), 0),
        ).where(
            col(InboundLog.intent).in_(sorted(WISMO_INTENTS)),
            col(InboundLog.at) >= since,
            col(InboundLog.at) < now,
        )
    )
    questions, by_bot = asked.one()
    return TodayFigures(
        since=since,
        open_cases=await open_cases(session),
        delivered=delivered,
        with_promise=with_promise,
        on_time=on_time,
        on_time_rate=rate(on_time, with_promise),
        wismo_questions=int(questions),
        answered_by_bot=int(by_bot),
        answered_by_staff=int(questions) - int(by_bot),
    )

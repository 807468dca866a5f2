"""The daily digest for staff: yesterday's headline numbers, posted once to the alerts channel.

Every replica runs the digest job; a `JobLock` per day (core.storage.locks) lets exactly one of
them build and enqueue it, and the outbox's dedupe key makes a second copy impossible
even if a lease ran out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.insights import rollups
from core.insights.digest import headline_fields
from core.insights.report import build_report
from core.pushes.notifications import enqueue_staff_alert
from core.replies.reply import KeyValue, Reply, Section
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.runtime.zones import zone
from core.staff.routes import alert_channel
from core.storage import locks
from core.storage.db import Database
from core.storage.models import Flag, Notification, Order, Shipment
from core.tracking.statuses import OrderStatus

log = logging.getLogger(__name__)

O = Order.__table__  # type: ignore[attr-defined]  # noqa: E741
S = Shipment.__table__  # type: ignore[attr-defined]
F = Flag.__table__  # type: ignore[attr-defined]
N = Notification.__table__  # type: ignore[attr-defined]
_OPEN_ORDER = [
    OrderStatus.PLACED.value,
    OrderStatus.PROCESSING.value,
    OrderStatus.PARTIALLY_SHIPPED.value,
    OrderStatus.SHIPPED.value,
]


@dataclass(frozen=True)
class DigestFigures:
    day: date
    orders_placed: int
    shipped: int
    delivered: int
    late_open: int
    flags_raised: int
    flags_open: int
    flags_open_by_kind: dict[str, int]
    pushes_sent: int
    pushes_failed: int


def digest_day(now: datetime, config: CoreConfig) -> date:
    """The day a digest posted at `now` reports on: yesterday, in the shop's time zone."""
    return now.astimezone(zone(config.timezone)).date() - timedelta(days=1)


async def figures(
    session: AsyncSession, clock: Clock, config: CoreConfig, day: date
) -> DigestFigures:
    """The headline numbers for `day` (shop time) and what is open right now."""
    tz = zone(config.timezone)
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    now = clock.now()

    async def count(table, *where) -> int:  # type: ignore[no-untyped-def]
        return int(
            (
                await session.execute(select(func.count()).select_from(table).where(*where))
            ).scalar_one()
        )

    by_kind_rows = await session.execute(
        select(F.c.kind, func.count()).where(F.c.state == "open").group_by(F.c.kind)
    )
    by_kind = {kind: int(n) for kind, n in by_kind_rows.all()}
    return DigestFigures(
        day=day,
        orders_placed=await count(O, O.c.placed_at >= start, O.c.placed_at < end),
        shipped=await count(S, S.c.shipped_at >= start, S.c.shipped_at < end),
        delivered=await count(S, S.c.delivered_at >= start, S.c.delivered_at < end),
        late_open=await count(O, O.c.status.in_(_OPEN_ORDER), O.c.promised_by < now),
        flags_raised=await count(F, F.c.created_at >= start, F.c.created_at < end),
        flags_open=sum(by_kind.values()),
        flags_open_by_kind=by_kind,
        pushes_sent=await count(N, N.c.sent_at >= start, N.c.sent_at < end),
        pushes_failed=await count(
            N, N.c.state == "failed", N.c.created_at >= start, N.c.created_at < end
        ),
    )


def digest_reply(numbers: DigestFigures, config: CoreConfig) -> Reply:
    """The digest card: one section of headline figures, one of open flags by kind."""
    day = f"{numbers.day:%a} {numbers.day.day} {numbers.day:%b %Y}"
    sections = [
        Section(
            title=f"{config.shop_name[:1].upper()}{config.shop_name[1:]}: daily digest for {day}",
            fields=[
                KeyValue("Orders placed", str(numbers.orders_placed)),
                KeyValue("Parcels shipped", str(numbers.shipped)),
                KeyValue("Parcels delivered", str(numbers.delivered)),
                KeyValue("Late orders now", str(numbers.late_open)),
                KeyValue("Flags raised", str(numbers.flags_raised)),
                KeyValue("Flags open", str(numbers.flags_open)),
                KeyValue("Pushes sent", str(numbers.pushes_sent)),
                KeyValue("Pushes failed", str(numbers.pushes_failed)),
            ],
        )
    ]
    if numbers.flags_open_by_kind:
        sections.append(
            Section(
                title="Open flags by kind",
                fields=[
                    KeyValue(kind.replace("_", " "), str(n))
                    for kind, n in sorted(numbers.flags_open_by_kind.items())
                ],
            )
        )
    return Reply(sections=sections, intent="digest")


async def post_daily_digest(
    database: Database, clock: Clock, config: CoreConfig, *, holder: str
) -> bool:
    """Enqueue yesterday's digest to its channel (route "digest", else alerts), once a day.

    Returns True for the replica that posted it; False when another did (or there is no
    alerts channel to post to).
    """
    channel = alert_channel(config, "digest")
    if not channel:
        return False
    day = digest_day(clock.now(), config)
    name = f"digest:{day.isoformat()}"
    async with database.transaction() as session:
        if not await locks.try_lock(session, clock, name, holder, timedelta(days=2)):
            return False
        await locks.prune(session, clock, "digest:", timedelta(days=7))
    await rollups.refresh(database, clock, holder=holder)  # the week's trend reads them
    async with database.transaction() as session:
        numbers = await figures(session, clock, config, day)
        card = digest_reply(numbers, config)
        # The week's trend (on-time rate, bottleneck, self-service) beside yesterday's counts.
        now = clock.now()
        week = await build_report(
            session, now=now, since=now - timedelta(days=7), stuck_after=config.stuck_after
        )
        card.sections.append(Section(title="The last 7 days", fields=headline_fields(week)))
        written = await enqueue_staff_alert(
            session,
            clock,
            channel,
            card,
            kind="digest",
            dedupe_key=name,
        )
    if written is not None:
        log.info("daily digest for %s enqueued", day)
    return written is not None

"""Exception detection: late, stuck, failed-attempt, carrier-exception and expired shipments.

The detector only looks at orders that are due (`Order.next_check_at`, indexed): new
orders start due, a status change makes an order due again (core.ingest.updates), and after a
look the order is scheduled for the next moment something could go wrong (its promised
date, a shipment's stuck deadline) — so a tick costs what is due, not what is stored.

Each problem raises one flag (core.staff.flags.raise_flag), never one per tick: a problem is
(kind, order or shipment, since when), and a flag already raised for it — open, or
resolved by staff — is not raised again until the problem starts anew.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, update
from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.staff.flags import raise_flag
from core.storage.db import Database
from core.storage.models import Flag, Order, Shipment, TrackingEvent
from core.tracking.statuses import OrderStatus, ShipmentStatus

log = logging.getLogger(__name__)

O = Order.__table__  # type: ignore[attr-defined]  # noqa: E741
F = Flag.__table__  # type: ignore[attr-defined]
E = TrackingEvent.__table__  # type: ignore[attr-defined]

# Nothing left to watch on these orders.
_FINISHED = frozenset(
    {OrderStatus.DELIVERED, OrderStatus.CANCELLED, OrderStatus.RETURN_REQUESTED,
     OrderStatus.RETURNED}
)  # fmt: skip
# A problem raised as soon as the carrier reports it.
_STATUS_PROBLEMS = {
    ShipmentStatus.FAILED_ATTEMPT: "failed_attempt",
    ShipmentStatus.EXCEPTION: "exception",
    ShipmentStatus.EXPIRED: "expired",
}
# The shopper already got a push about these from the carrier's own news.
_SHOPPER_ALREADY_TOLD = frozenset({"failed_attempt", "exception"})
# An open order with nothing scheduled is still looked at once a day (a parcel may be added).
RECHECK_AT_LEAST_EVERY = timedelta(days=1)


def stuck_thresholds(config: CoreConfig) -> dict[ShipmentStatus, timedelta]:
    """How long without a carrier event each status may last before it counts as stuck.

    In transit is the shop's setting (default 72 h). A label that is never handed over
    gets longer; a parcel out for delivery should not sit a whole day without news.
    """
    in_transit = config.stuck_after
    return {
        ShipmentStatus.PENDING: max(in_transit, timedelta(days=5)),
        ShipmentStatus.INFO_RECEIVED: max(in_transit, timedelta(days=5)),
        ShipmentStatus.IN_TRANSIT: in_transit,
        ShipmentStatus.OUT_FOR_DELIVERY: timedelta(hours=24),
        ShipmentStatus.FAILED_ATTEMPT: in_transit,
        ShipmentStatus.AVAILABLE_FOR_PICKUP: max(in_transit, timedelta(days=7)),
        ShipmentStatus.EXCEPTION: in_transit,
    }


@dataclass
class DetectionStats:
    examined: int = 0
    raised: dict[str, int] = field(default_factory=dict)

    @property
    def flags(self) -> int:
        """How many flags were raised in all."""
        return sum(self.raised.values())


class Detector:
    """Finds problems on due orders and raises flags for them."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        config: CoreConfig,
        *,
        batch_size: int = 500,
        lease: timedelta = timedelta(minutes=5),
    ) -> None:
        self.database = database
        self.clock = clock
        self.config = config
        self.batch_size = batch_size
        self.lease = lease
        self.thresholds: Mapping[ShipmentStatus, timedelta] = stuck_thresholds(config)

    async def run(self, *, max_batches: int = 100) -> DetectionStats:
        """Examine due orders, batch after batch, until none is due (or `max_batches`)."""
        total = DetectionStats()
        for _ in range(max_batches):
            stats = await self.run_once()
            total.examined += stats.examined
            for kind, count in stats.raised.items():
                total.raised[kind] = total.raised.get(kind, 0) + count
            if stats.examined < self.batch_size:
                break
        return total

    async def run_once(self) -> DetectionStats:
        """Claim one batch of due orders, examine each, and schedule its next look."""
        now = self.clock.now()
        lease_until = now + self.lease
        async with self.database.transaction() as session:
            due = (
                sa_select(O.c.id)
                .where(O.c.next_check_at <= now)
                .order_by(O.c.next_check_at)
                .limit(self.batch_size)
                .with_for_update(skip_locked=True)
            )
            # Pushing next_check_at past the lease is the claim: other replicas skip these.
            claimed = await session.execute(
                update(O)
                .where(O.c.id.in_(due), O.c.next_check_at <= now)
                .values(next_check_at=lease_until)
                .returning(O.c.id)
            )
            order_ids = sorted(claimed.scalars().all())
        stats = DetectionStats(examined=len(order_ids))
        if not order_ids:
            return stats
        async with self.database.transaction() as session:
            orders = (await session.exec(select(Order).where(col(Order.id).in_(order_ids)))).all()
            shipments: dict[int, list[Shipment]] = {}
            rows = await session.exec(select(Shipment).where(col(Shipment.order_id).in_(order_ids)))
            for shipment in rows:
                shipments.setdefault(shipment.order_id, []).append(shipment)
            schedule = []
            for order in orders:
                assert order.id is not None
                found = await self._examine(session, now, order, shipments.get(order.id, []))
                for kind in found:
                    stats.raised[kind] = stats.raised.get(kind, 0) + 1
                later = self._next_look(now, order, shipments.get(order.id, []))
                schedule.append({"b_id": order.id, "b_next": later})
            await session.execute(
                update(O)
                # Unless a status change made it due again meanwhile (core.ingest.updates).
                .where(O.c.id == bindparam("b_id"), O.c.next_check_at == lease_until)
                .values(next_check_at=bindparam("b_next")),
                schedule,
            )
        return stats

    async def _examine(
        self, session: AsyncSession, now: datetime, order: Order, shipments: list[Shipment]
    ) -> list[str]:
        if _status(order) in _FINISHED:
            return []
        raised: list[str] = []
        live = [s for s in shipments if s.status != ShipmentStatus.DELIVERED]
        if order.promised_by is not None and order.promised_by <= now and (live or not shipments):
            note = f"promised by {order.promised_by:%Y-%m-%d %H:%M} UTC"
            if await self._raise(session, order, None, "late", since=order.promised_by, note=note):
                raised.append("late")
        for shipment in live:
            status = ShipmentStatus(shipment.status)
            kind = _STATUS_PROBLEMS.get(status)
            if kind is not None:
                since = await _status_since(session, shipment)
                note = await _carrier_words(session, shipment)
                if await self._raise(session, order, shipment, kind, since=since, note=note):
                    raised.append(kind)
            deadline = self._stuck_deadline(shipment)
            if deadline is not None and deadline <= now:
                quiet_since = shipment.last_event_at or shipment.created_at
                hours = int((now - quiet_since).total_seconds() // 3600)
                note = f"no carrier scan for {hours} h while {status.value.replace('_', ' ')}"
                if await self._raise(session, order, shipment, "stuck", since=quiet_since,
                                     note=note):  # fmt: skip
                    raised.append("stuck")
        return raised

    async def _raise(
        self,
        session: AsyncSession,
        order: Order,
        shipment: Shipment | None,
        kind: str,
        *,
        since: datetime,
        note: str,
    ) -> bool:
        assert order.id is not None
        shipment_id = shipment.id if shipment is not None else None
        same_subject = (
            F.c.shipment_id == shipment_id if shipment_id is not None else F.c.shipment_id.is_(None)
        )
        earlier = (
            await session.execute(
                sa_select(func.count()).where(
                    F.c.order_id == order.id,
                    F.c.kind == kind,
                    same_subject,
                    F.c.created_at >= since,
                )
            )
        ).scalar_one()
        if earlier:
            return False  # already raised for this problem (perhaps resolved by staff since)
        subject = f"shipment:{shipment_id}" if shipment_id is not None else f"order:{order.id}"
        flag = await raise_flag(
            session,
            self.clock,
            self.config,
            order.id,
            kind,
            shipment_id=shipment_id,
            source="detector",
            note=note,
            open_key=f"detect:{kind}:{subject}",
            notify_shopper=self.config.notify_shopper_on_exception
            and kind not in _SHOPPER_ALREADY_TOLD,
        )
        if flag is not None:
            log.info("raised %s flag %s on order id %s", kind, flag.id, order.id)
        return flag is not None

    def _stuck_deadline(self, shipment: Shipment) -> datetime | None:
        threshold = self.thresholds.get(ShipmentStatus(shipment.status))
        if threshold is None:
            return None
        return (shipment.last_event_at or shipment.created_at) + threshold

    def _next_look(self, now: datetime, order: Order, shipments: list[Shipment]) -> datetime | None:
        """The next moment something could go wrong with the order; None when it is finished."""
        if _status(order) in _FINISHED:
            return None
        live = [s for s in shipments if s.status != ShipmentStatus.DELIVERED]
        if shipments and not live:
            return None
        moments = [now + RECHECK_AT_LEAST_EVERY]
        if order.promised_by is not None and order.promised_by > now:
            moments.append(order.promised_by)
        for shipment in live:
            deadline = self._stuck_deadline(shipment)
            if deadline is not None and deadline > now:
                moments.append(deadline)
        return min(moments)


def _status(order: Order) -> OrderStatus | None:
    try:
        return OrderStatus(order.status)
    except ValueError:
        return None


async def _carrier_words(session: AsyncSession, shipment: Shipment) -> str:
    """What the carrier said last, for the flag's note: "Held at customs (Exception_004)";
    the bare code when its feed sent no words."""
    newest = (
        await session.execute(
            sa_select(E.c.text, E.c.substatus)
            .where(E.c.shipment_id == shipment.id, E.c.status == shipment.status)
            .order_by(E.c.occurred_at.desc(), E.c.id.desc())
            .limit(1)
        )
    ).first()
    said, code = (newest.text, newest.substatus) if newest else ("", shipment.substatus)
    if not said:
        return code or ""
    return f"{said} ({code})" if code and code not in said else said


async def _status_since(session: AsyncSession, shipment: Shipment) -> datetime:
    """When the shipment's current status began: just after its last event of another status."""
    before = (
        await session.execute(
            sa_select(func.max(E.c.occurred_at)).where(
                E.c.shipment_id == shipment.id, E.c.status != shipment.status
            )
        )
    ).scalar_one_or_none()
    return before or shipment.created_at

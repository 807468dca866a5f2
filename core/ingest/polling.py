"""Carrier polling: ask tracking sources about the shipments that are due, apply what they say.

A shipment is due when its indexed `next_poll_at` has passed (NULL: never polled — it is
delivered, expired, or its source pushes webhooks). Each tick claims a batch of due
shipments (pushing `next_poll_at` past a lease, with `FOR UPDATE SKIP LOCKED` on
PostgreSQL, so replicas never poll the same parcel twice), asks their `CarrierSource`,
applies the updates through core.ingest.updates and schedules the next poll: sooner near
delivery, and with exponential back-off while the source keeps failing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.ingest.tracking_update import TrackingUpdate
from core.ingest.updates import ApplyOutcome, apply_tracking_updates
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from core.storage.models import Shipment
from core.tracking.statuses import ShipmentStatus

log = logging.getLogger(__name__)

S = Shipment.__table__  # type: ignore[attr-defined]
ANY_CARRIER = "*"
NEAR_DELIVERY = frozenset({ShipmentStatus.OUT_FOR_DELIVERY, ShipmentStatus.FAILED_ATTEMPT})


@dataclass(frozen=True)
class PollTarget:
    """One shipment to ask a source about."""

    shipment_id: int
    carrier: str
    tracking_number: str
    status: ShipmentStatus
    last_event_at: datetime | None


@dataclass(frozen=True)
class PollResult:
    """What a source learned: updates, and the tracking numbers it could not look up (why)."""

    updates: Sequence[TrackingUpdate] = ()
    failed: Mapping[str, str] = field(default_factory=dict)


class CarrierSource(Protocol):
    """A tracking source that can be asked (AfterShip's API, the demo's simulated carrier)."""

    async def poll(self, targets: Sequence[PollTarget]) -> PollResult:
        """Look the targets up; raise for a failure of the whole batch (network, auth)."""
        ...


@dataclass
class PollStats:
    claimed: int = 0
    updates: int = 0
    applied: int = 0
    failed: int = 0  # shipments whose look-up failed this tick (backed off)
    skipped: int = 0  # due shipments no configured source can poll


class Poller:
    """Polls due shipments through `sources` (carrier name, lower-case, or "*" → source)."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        config: CoreConfig,
        sources: Mapping[str, CarrierSource],
        *,
        batch_size: int = 200,
        lease: timedelta = timedelta(minutes=10),
        max_backoff: timedelta = timedelta(hours=24),
    ) -> None:
        self.database = database
        self.clock = clock
        self.config = config
        self.sources = {name.lower(): source for name, source in sources.items()}
        self.batch_size = batch_size
        self.lease = lease
        self.max_backoff = max_backoff

    def source_for(self, carrier: str) -> CarrierSource | None:
        """The source that tracks `carrier`'s parcels, if any."""
        return self.sources.get(carrier.lower()) or self.sources.get(ANY_CARRIER)

    async def run_once(self) -> PollStats:
        """Claim one batch of due shipments, poll them, apply and reschedule."""
        stats = PollStats()
        if not self.sources:
            return stats
        targets = await self._claim()
        stats.claimed = len(targets)
        groups: dict[int, tuple[CarrierSource, list[PollTarget]]] = {}
        orphans: list[PollTarget] = []
        for target in targets:
            source = self.source_for(target.carrier)
            if source is None:
                orphans.append(target)
                continue
            groups.setdefault(id(source), (source, []))[1].append(target)
        if orphans:
            stats.skipped = len(orphans)
            await self._reschedule_later(orphans)
        for source, group in groups.values():
            await self._poll_group(source, group, stats)
        return stats

    async def _claim(self) -> list[PollTarget]:
        now = self.clock.now()
        due = (
            select(S.c.id)
            .where(S.c.next_poll_at <= now)
            .order_by(S.c.next_poll_at)
            .limit(self.batch_size)
            .with_for_update(skip_locked=True)
        )
        async with self.database.transaction() as session:
            rows = await session.execute(
                update(S)
                .where(S.c.id.in_(due), S.c.next_poll_at <= now)
                # The lease: a poller that dies mid-poll leaves the parcel due again later.
                .values(next_poll_at=now + self.lease)
                .returning(S.c.id, S.c.carrier, S.c.tracking_number, S.c.status, S.c.last_event_at)
            )
            return [
                PollTarget(row.id, row.carrier, row.tracking_number, ShipmentStatus(row.status),
                           row.last_event_at)
                for row in rows
            ]  # fmt: skip

    async def _poll_group(
        self, source: CarrierSource, targets: list[PollTarget], stats: PollStats
    ) -> None:
        try:
            result = await source.poll(targets)
        except Exception as exc:
            log.warning("carrier source failed for %d shipments: %s", len(targets), exc)
            stats.failed += len(targets)
            async with self.database.transaction() as session:
                await self._back_off(session, [t.shipment_id for t in targets])
            return
        stats.updates += len(result.updates)
        wanted = {t.tracking_number for t in targets}
        updates = [u for u in result.updates if u.tracking_number in wanted]
        async with self.database.transaction() as session:
            results = await apply_tracking_updates(session, self.clock, self.config, updates)
            stats.applied += sum(r.outcome == ApplyOutcome.APPLIED for r in results)
            failed_ids = [t.shipment_id for t in targets if t.tracking_number in result.failed]
            for target in targets:
                if target.tracking_number in result.failed:
                    log.info(
                        "poll of shipment %s failed: %s",
                        target.shipment_id,
                        result.failed[target.tracking_number],
                    )
            stats.failed += len(failed_ids)
            await self._back_off(session, failed_ids)
            await self._schedule(session, [t for t in targets if t.shipment_id not in failed_ids])

    async def _schedule(self, session: AsyncSession, targets: list[PollTarget]) -> None:
        now = self.clock.now()
        for shipment in await _load(session, [t.shipment_id for t in targets]):
            status = ShipmentStatus(shipment.status)
            if status in (ShipmentStatus.DELIVERED, ShipmentStatus.EXPIRED):
                shipment.next_poll_at = None  # nothing more to learn
            else:
                every = self.config.poll_every
                if status in NEAR_DELIVERY:
                    every = min(every, timedelta(minutes=30))  # the shopper is waiting today
                shipment.next_poll_at = now + every
            shipment.poll_failures = 0
            session.add(shipment)

    async def _back_off(self, session: AsyncSession, shipment_ids: list[int]) -> None:
        now = self.clock.now()
        for shipment in await _load(session, shipment_ids):
            shipment.poll_failures += 1
            wait = self.config.poll_every * (2 ** min(shipment.poll_failures, 16))
            shipment.next_poll_at = now + min(wait, self.max_backoff)
            session.add(shipment)

    async def _reschedule_later(self, targets: list[PollTarget]) -> None:
        # Nobody polls this carrier today; look again later rather than every tick.
        async with self.database.transaction() as session:
            await session.execute(
                update(S)
                .where(S.c.id.in_([t.shipment_id for t in targets]))
                .values(next_poll_at=self.clock.now() + self.config.poll_every)
            )


async def _load(session: AsyncSession, shipment_ids: list[int]) -> list[Shipment]:
    """The shipments, in one query per 500 (most are already in the session's identity map)."""
    found: list[Shipment] = []
    for start in range(0, len(shipment_ids), 500):
        chunk = shipment_ids[start : start + 500]
        found.extend(
            (await session.exec(select(Shipment).where(col(Shipment.id).in_(chunk)))).all()
        )
    return found

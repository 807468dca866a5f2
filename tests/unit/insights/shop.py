"""A tiny shop whose insights are worked out by hand in the tests (see test_measures.py).

Times are UTC in late October 2026; the period under test is Mon 19 Oct – Mon 2 Nov.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.storage.models import (
    ChannelIdentity,
    Customer,
    Flag,
    InboundLog,
    Notification,
    Order,
    ReturnRequest,
    Shipment,
    TrackingEvent,
)

SINCE = datetime(2026, 10, 19, tzinfo=UTC)
UNTIL = datetime(2026, 11, 2, tzinfo=UTC)
NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def at(day: int, hour: int = 0, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


class ShopBuilder:
    """Adds rows with just the fields insights read; ids come back for linking."""

    def __init__(self, session: AsyncSession, first_number: int = 0) -> None:
        self.session = session
        self._n = first_number  # order numbers and keys count up from here
        self.customer_id: int | None = None

    async def _add(self, row: object) -> int:
        self.session.add(row)
        await self.session.flush()
        return row.id  # type: ignore[attr-defined, no-any-return]

    async def customer(self) -> int:
        if self.customer_id is None:
            self.customer_id = await self._add(
                Customer(email="shopper@example.com", name="Sam", created_at=at(1))
            )
        return self.customer_id

    async def order(
        self,
        placed: datetime,
        processing: datetime | None = None,
        shipped: datetime | None = None,
        delivered: datetime | None = None,
        promised: datetime | None = None,
        country: str = "DE",
        postcode: str = "10115",
    ) -> int:
        self._n += 1
        return await self._add(
            Order(
                number=str(1000 + self._n),
                customer_id=await self.customer(),
                placed_at=placed,
                processing_at=processing,
                shipped_at=shipped,
                delivered_at=delivered,
                promised_by=promised,
                ship_country=country,
                ship_postcode=postcode,
                status="delivered" if delivered else ("shipped" if shipped else "placed"),
                updated_at=placed,
            )
        )

    async def shipment(
        self,
        order_id: int,
        carrier: str,
        shipped: datetime | None,
        scans: list[tuple[str, datetime]],
        delivered: datetime | None = None,
        eta: datetime | None = None,
    ) -> int:
        self._n += 1
        last_status = scans[-1][0] if scans else "pending"
        shipment_id = await self._add(
            Shipment(
                order_id=order_id,
                carrier=carrier,
                tracking_number=f"T{self._n}",
                status=last_status,
                shipped_at=shipped,
                delivered_at=delivered,
                eta=eta,
                last_event_at=scans[-1][1] if scans else None,
                created_at=shipped or at(1),
                updated_at=shipped or at(1),
            )
        )
        for i, (status, when) in enumerate(scans):
            await self._add(
                TrackingEvent(
                    shipment_id=shipment_id,
                    status=status,
                    occurred_at=when,
                    source="test",
                    source_event_id=f"{shipment_id}-{i}",
                    created_at=when,
                )
            )
        return shipment_id

    async def flag(
        self,
        order_id: int,
        kind: str,
        created: datetime,
        shipment_id: int | None = None,
        *,
        state: str = "open",
    ) -> int:
        return await self._add(
            Flag(
                order_id=order_id,
                shipment_id=shipment_id,
                kind=kind,
                state=state,
                created_at=created,
            )
        )

    async def return_request(
        self, order_id: int, reason: str, created: datetime, state: str = "requested"
    ) -> int:
        return await self._add(
            ReturnRequest(
                order_id=order_id,
                reason=reason,
                state=state,
                created_at=created,
                updated_at=created,
            )
        )

    async def identity(self) -> int:
        self._n += 1
        return await self._add(
            ChannelIdentity(channel="telegram", external_id=str(self._n), created_at=at(1))
        )

    async def question(self, intent: str, when: datetime, *, by_bot: bool = True) -> None:
        await self._add(
            InboundLog(channel="telegram", intent=intent, answered_by_bot=by_bot, at=when)
        )

    async def push(
        self, state: str, created: datetime, identity_id: int | None, shipment_id: int | None = None
    ) -> None:
        self._n += 1
        await self._add(
            Notification(
                identity_id=identity_id,
                channel="telegram" if identity_id else "slack",
                recipient="42" if identity_id else "C1",
                shipment_id=shipment_id,
                kind="status",
                dedupe_key=f"k{self._n}",
                state=state,
                not_before=created,
                created_at=created,
            )
        )


async def build(session: AsyncSession) -> dict[str, int]:
    """The hand-checked shop. Returns the ids the tests refer to."""
    shop = ShopBuilder(session)
    # O1: DHL, on time. Stages 2h, 24h, 6h, 48h.
    o1 = await shop.order(at(19, 10), at(19, 12), at(20, 12), at(22, 18), promised=at(23))
    s1 = await shop.shipment(
        o1, "DHL", at(20, 12),
        [("info_received", at(20, 12)), ("in_transit", at(20, 18)), ("delivered", at(22, 18))],
        delivered=at(22, 18),
    )  # fmt: skip
    # O2: DHL, late. Stages 4h, 32h, 12h, 48h.
    o2 = await shop.order(at(20, 8), at(20, 12), at(21, 20), at(24, 8), promised=at(23))
    s2 = await shop.shipment(
        o2, "DHL", at(21, 20), [("in_transit", at(22, 8)), ("delivered", at(24, 8))],
        delivered=at(24, 8),
    )  # fmt: skip
    # O3: UPS, no promise. Stages 1h, 6h, 24h, 72h.
    o3 = await shop.order(at(26, 9), at(26, 10), at(26, 16), at(30, 16))
    s3 = await shop.shipment(
        o3, "UPS", at(26, 16), [("in_transit", at(27, 16)), ("delivered", at(30, 16))],
        delivered=at(30, 16),
    )  # fmt: skip
    # O4: UPS, scanned once on 28 Oct and silent since: stuck on 2 Nov. Stages 2h, 24h, 2h.
    o4 = await shop.order(at(27, 9), at(27, 11), at(28, 11), promised=at(5, month=11))
    s4 = await shop.shipment(o4, "UPS", at(28, 11), [("in_transit", at(28, 13))])
    # O5: all before the period.
    o5 = await shop.order(at(10, 9), at(10, 10), at(12, 10), at(15, 10), promised=at(16))
    await shop.shipment(
        o5, "DHL", at(12, 10), [("in_transit", at(12, 12)), ("delivered", at(15, 10))],
        delivered=at(15, 10),
    )  # fmt: skip
    # O6: placed in the period, not processed yet.
    await shop.order(at(30, 9))

    await shop.flag(o2, "late", at(24, 9), s2)
    await shop.flag(o4, "stuck", at(31, 9), s4)
    await shop.flag(o3, "damaged", at(31, 10), state="resolved")
    await shop.flag(o5, "late", at(5), state="resolved")

    await shop.return_request(o1, "size_too_small", at(25))
    await shop.return_request(o3, "defective", at(31), state="cancelled")
    await shop.return_request(o5, "defective", at(20), state="approved")

    for intent, by_bot in [
        ("track_order", True),
        ("track_order", True),
        ("list_orders", True),
        ("human", False),
        ("greeting", True),
    ]:
        await shop.question(intent, at(25, 10), by_bot=by_bot)
    await shop.question("track_order", at(5))

    shopper = await shop.identity()
    await shop.push("sent", at(20), shopper, s1)
    await shop.push("sent", at(27), shopper, s3)
    await shop.push("failed", at(22), shopper, s2)
    await shop.push("pending", at(28), shopper, s4)
    await shop.push("cancelled", at(28), shopper, s4)
    await shop.push("sent", at(24), None)
    await shop.push("failed", at(24), None)
    await shop.push("sent", at(5), shopper)
    return {"o1": o1, "o2": o2, "o3": o3, "o4": o4, "s1": s1, "s2": s2, "s3": s3, "s4": s4}

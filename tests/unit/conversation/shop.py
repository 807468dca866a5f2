"""A small hand-built shop for the conversation tests, and a plain-text view of replies."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.replies.reply import Reply
from core.runtime.clock import ManualClock
from core.storage.db import Database
from core.storage.models import Customer, Order, OrderItem, Shipment, TrackingEvent


def render(replies: list[Reply]) -> str:
    """Replies as plain text: titles, text, "label: value" fields, timeline, [buttons]."""
    blocks = []
    for reply in replies:
        lines: list[str] = []
        for section in reply.sections:
            if section.title:
                lines.append(section.title)
            if section.text:
                lines.append(section.text)
            lines.extend(f"{f.label}: {f.value}" for f in section.fields)
            for entry in section.timeline:
                where = f" ({entry.location})" if entry.location else ""
                lines.append(f"  {entry.at:%Y-%m-%d %H:%M} {entry.text}{where}")
        if reply.buttons:
            lines.append(" ".join(f"[{b.label}]" for b in reply.buttons))
        blocks.append("\n".join(lines))
    return "\n---\n".join(blocks)


class Replies(list[Reply]):
    """What the bot answered; `.text` is the plain-text rendering."""

    @property
    def text(self) -> str:
        return render(self)

    @property
    def intents(self) -> list[str]:
        return [r.intent for r in self]

    def actions(self) -> list[tuple[str, str]]:
        return [(b.action, b.payload) for r in self for b in r.buttons]


async def build_shop(db: Database, clock: ManualClock) -> dict[str, int]:
    """Jane (1001 in transit, 1002 in two parcels, 1003 delivered, 1004 just placed),
    Bob (2001 delayed by an exception, postcode SW1A 1AA). Returns ids by name."""
    now = clock.now()
    ids: dict[str, int] = {}
    async with db.transaction() as session:
        jane = Customer(email="jane@example.com", name="Jane Doe", created_at=now)
        bob = Customer(email="bob@example.com", name="Bob Stone", created_at=now)
        session.add_all([jane, bob])
        await session.flush()
        assert jane.id is not None and bob.id is not None
        ids["jane"], ids["bob"] = jane.id, bob.id

        async def order(
            number: str, customer: int, status: str, days_ago: int, **kw: object
        ) -> Order:
            placed = now - timedelta(days=days_ago)
            o = Order(
                number=number,
                customer_id=customer,
                status=status,
                placed_at=placed,
                updated_at=now,
                ship_postcode=str(kw.pop("postcode", "10115")),
                **kw,  # type: ignore[arg-type]
            )
            session.add(o)
            await session.flush()
            assert o.id is not None
            ids[number] = o.id
            return o

        async def shipment(
            o: Order, carrier: str, tracking: str, status: str, **kw: object
        ) -> Shipment:
            s = Shipment(
                order_id=o.id,  # type: ignore[arg-type]
                carrier=carrier,
                tracking_number=tracking,
                status=status,
                created_at=now,
                updated_at=now,
                **kw,  # type: ignore[arg-type]
            )
            session.add(s)
            await session.flush()
            return s

        def event(s: Shipment, status: str, at: datetime, location: str, text: str = "") -> None:
            session.add(
                TrackingEvent(
                    shipment_id=s.id,  # type: ignore[arg-type]
                    status=status,
                    location=location,
                    text=text,
                    occurred_at=at,
                    source="test",
                    source_event_id=f"{s.tracking_number}-{at.isoformat()}",
                    created_at=now,
                )
            )

        o1 = await order("1001", jane.id, "shipped", 3, promised_by=now + timedelta(days=4))
        session.add(OrderItem(order_id=o1.id, sku="MUG-1", name="Blue mug", qty=2))  # type: ignore[arg-type]
        s1 = await shipment(
            o1,
            "dhl",
            "JD0001",
            "in_transit",
            last_location="Leipzig hub",
            eta=now + timedelta(days=1),
            last_event_at=now - timedelta(hours=5),
        )
        event(
            s1, "info_received", now - timedelta(days=2), "Berlin", "Shipment information received"
        )
        event(s1, "in_transit", now - timedelta(days=1), "Berlin hub", "Departed facility")
        event(s1, "in_transit", now - timedelta(hours=5), "Leipzig hub", "Arrived at hub")

        o2 = await order("1002", jane.id, "shipped", 5)
        session.add(OrderItem(order_id=o2.id, sku="LAMP", name="Desk lamp"))  # type: ignore[arg-type]
        session.add(OrderItem(order_id=o2.id, sku="BULB", name="Bulb", qty=4))  # type: ignore[arg-type]
        s2a = await shipment(
            o2,
            "ups",
            "1Z999",
            "delivered",
            delivered_at=now - timedelta(days=1),
            last_event_at=now - timedelta(days=1),
        )
        event(s2a, "delivered", now - timedelta(days=1), "Berlin", "Delivered, front door")
        s2b = await shipment(o2, "dpd", "DPD777", "out_for_delivery", last_location="Berlin depot")
        event(s2b, "out_for_delivery", now - timedelta(hours=2), "Berlin depot", "Out for delivery")

        o3 = await order("1003", jane.id, "delivered", 20, delivered_at=now - timedelta(days=14))
        await shipment(o3, "gls", "GLS1", "delivered", delivered_at=now - timedelta(days=14))

        await order("1004", jane.id, "placed", 0, promised_by=now + timedelta(days=6))

        o5 = await order("2001", bob.id, "shipped", 6, postcode="SW1A 1AA")
        s5 = await shipment(o5, "royal mail", "RM55", "exception", last_location="Customs")
        event(s5, "exception", now - timedelta(hours=10), "Customs", "Parcel lost in sorting")
    return ids

"""End to end: a tracking event posted to the ingest API reaches a shopper who follows the order."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import select

from core.pushes import notifications
from core.pushes.dispatch import Dispatcher
from core.replies.reply import Reply
from core.replies.sender import Sent
from core.storage.models import ChannelIdentity, Notification, Order
from tests.integration.ingest.conftest import Served
from tests.integration.ingest.test_api import ORDER, SHIPMENT, event


@dataclass
class RecordingSender:
    sent: list[tuple[str, Reply]] = field(default_factory=list)

    async def send(self, recipient: str, reply: Reply) -> Sent:
        self.sent.append((recipient, reply))
        return Sent(ref=f"msg-{len(self.sent)}")


async def test_an_api_event_produces_a_push_for_a_following_shopper(served: Served) -> None:
    client, services = served.client, served.services
    assert (await client.post("/api/v1/orders", json=ORDER, headers=served.auth)).status_code == 201
    assert (
        await client.post("/api/v1/shipments", json=SHIPMENT, headers=served.auth)
    ).status_code == 201
    async with services.database.transaction() as session:
        order = (await session.exec(select(Order))).one()
        shopper = ChannelIdentity(
            channel="console",
            external_id="ana",
            customer_id=order.customer_id,
            verified_at=services.clock.now(),
            created_at=services.clock.now(),
        )
        session.add(shopper)
        await session.flush()
        assert shopper.id is not None and order.id is not None
        await notifications.follow(session, services.clock, shopper.id, order.id)

    sender = RecordingSender()
    dispatcher = Dispatcher(services.database, services.clock, {"console": sender})
    woken: list[bool] = []
    dispatcher.on_wake(lambda: woken.append(True))
    dispatcher.watch_commits()

    try:
        response = await client.post(
            "/api/v1/events/bulk",
            json={
                "events": [event("e1", "in_transit", "2026-11-02T11:00:00Z", location="Leipzig")]
            },
            headers=served.auth,
        )
        assert response.json()["applied"] == 1

        async with services.database.session() as session:
            [queued] = (await session.exec(select(Notification))).all()
        assert (queued.channel, queued.recipient, queued.state) == ("console", "ana", "pending")

        assert woken, "the commit that enqueued the push wakes the dispatcher"
        stats = await dispatcher.run_once()
    finally:
        dispatcher.close()  # the commit hook is global to SQLAlchemy sessions
    assert stats.sent == 1
    [(recipient, reply)] = sender.sent
    assert recipient == "ana"
    assert reply.order_number == "1001"
    assert "1001" in " ".join(section.text + section.title for section in reply.sections)

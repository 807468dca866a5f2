"""Shipment pushes and flag notices in a second language: each recipient gets the words of
their own chat's catalogue, English where that catalogue has no wording."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from core.handoff.opening import opening_words
from core.ingest.tracking_update import TrackingUpdate
from core.ingest.updates import apply_tracking_update
from core.replies import messages
from core.replies.reply import Reply
from core.returns.policy import decline_reason_label, reason_label
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.staff.flags import raise_flag
from core.storage.db import Database
from core.storage.models import ChannelIdentity, Notification, Subscription
from core.tracking.statuses import ShipmentStatus
from tests.unit.jobs.factory import Shop, make_shop

CONFIG = CoreConfig(shop_name="Acme", timezone="Europe/Berlin")
GERMAN = {
    "push.shipped.title": "Bestellung {number} ist unterwegs",
    "push.field.tracking_number": "Sendungsnummer",
    "button.track_order": "Sendung verfolgen",
    "flag_notice.lost": "Wir fragen beim Versanddienst nach, wo das Paket zu Bestellung "
    "{number} ist.",
    "date.weekdays": "Mo Di Mi Do Fr Sa So",
}


@pytest.fixture
def german(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(messages.CATALOGUES, "de", GERMAN)


async def _shop_with_two_chats(db: Database, clock: ManualClock) -> Shop:
    """Order 1001 followed by a German chat ("de-DE") and a chat of unknown language."""
    async with db.transaction() as session:
        shop = await make_shop(session, clock, chat="de-chat")
        shop.identity.locale = "de-DE"
        session.add(shop.identity)
        other = ChannelIdentity(
            channel="telegram",
            external_id="en-chat",
            customer_id=shop.customer.id,
            verified_at=clock.now(),
            created_at=clock.now(),
        )
        session.add(other)
        await session.flush()
        session.add(
            Subscription(
                identity_id=other.id,
                order_id=shop.order.id,
                created_at=clock.now(),
                updated_at=clock.now(),
            )
        )
    return shop


async def _to(db: Database, recipient: str) -> list[Reply]:
    async with db.session() as session:
        rows = await session.exec(
            select(Notification)
            .where(Notification.recipient == recipient)
            .order_by(col(Notification.id))
        )
        return [Reply.from_dict(row.reply) for row in rows]


async def test_a_shipment_push_is_worded_for_each_recipient(
    db: Database, clock: ManualClock, german: None
) -> None:
    await _shop_with_two_chats(db, clock)
    update = TrackingUpdate(
        source="aftership",
        source_event_id="ev-1",
        tracking_number="TRK1001",
        status=ShipmentStatus.IN_TRANSIT,
        occurred_at=clock.now(),
        eta=datetime(2026, 11, 5, 12, tzinfo=UTC),
    )
    async with db.transaction() as session:
        await apply_tracking_update(session, clock, CONFIG, update)

    [push] = await _to(db, "de-chat")
    section = push.sections[0]
    assert section.title == "Bestellung 1001 ist unterwegs"
    assert section.text == "Your order has shipped with DHL."  # no German wording: English
    assert [(f.label, f.value) for f in section.fields] == [
        ("Sendungsnummer", "TRK1001"),
        ("Tracking link", "https://track.example/TRK1001"),
        ("Expected", "Do 5 Nov"),  # German weekday, English month
    ]
    assert [b.label for b in push.buttons] == ["Sendung verfolgen", "Stop updates"]

    [english] = await _to(db, "en-chat")
    section = english.sections[0]
    assert (section.title, section.text) == (
        "Order 1001 is on its way",
        "Your order has shipped with DHL.",
    )
    assert [(f.label, f.value) for f in section.fields] == [
        ("Tracking number", "TRK1001"),
        ("Tracking link", "https://track.example/TRK1001"),
        ("Expected", "Thu 5 Nov"),
    ]
    assert [b.label for b in english.buttons] == ["Track order", "Stop updates"]


@pytest.mark.parametrize(
    ("kind", "german_text"),
    [
        ("lost", "Wir fragen beim Versanddienst nach, wo das Paket zu Bestellung 1001 ist."),
        (
            "damaged",  # no German wording: English
            "We've noted a problem with the condition of your order 1001. "
            "Our team is looking into it and will get back to you.",
        ),
    ],
)
async def test_a_flag_notice_is_worded_for_each_recipient(
    db: Database, clock: ManualClock, german: None, kind: str, german_text: str
) -> None:
    shop = await _shop_with_two_chats(db, clock)
    assert shop.order.id is not None
    async with db.transaction() as session:
        flag = await raise_flag(
            session, clock, CONFIG, shop.order.id, kind, source="staff", notify_shopper=True
        )
    assert flag is not None

    [notice] = await _to(db, "de-chat")
    assert notice.sections[0].text == german_text
    assert [b.label for b in notice.buttons] == ["Sendung verfolgen"]
    [english] = await _to(db, "en-chat")
    assert english.sections[0].text == messages.text(f"flag_notice.{kind}", number="1001")
    assert [b.label for b in english.buttons] == ["Track order"]


def test_reasons_and_the_support_opening_time_take_a_language(german: None) -> None:
    messages.CATALOGUES["de"] = {
        **GERMAN,
        "return.reason.too_small": "Zu klein",
        "return_notice.decline_reason.final_sale": "Der Artikel war reduziert",
    }
    assert reason_label("too_small", "de") == "Zu klein"
    assert reason_label("too_large", "de") == "Too large"
    assert reason_label("too_small") == "Too small"
    assert decline_reason_label("final_sale", "de") == "Der Artikel war reduziert"
    assert decline_reason_label("final_sale") == "The item was sold as final sale"
    monday = datetime(2026, 11, 9, 9, tzinfo=ZoneInfo("Europe/Berlin"))
    assert opening_words(monday, "de") == "Mo 9 Nov, 09:00 (Europe/Berlin)"
    assert opening_words(monday) == "Mon 9 Nov, 09:00 (Europe/Berlin)"

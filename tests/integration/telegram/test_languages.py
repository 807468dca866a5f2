"""Shoppers on Telegram in German, French and Spanish: the app's language_code starts the
chat, what they write decides it, and replies, buttons, timeline dates and pushes follow."""

from __future__ import annotations

from sqlmodel import select

from core.ingest.tracking_update import TrackingUpdate
from core.ingest.updates import apply_tracking_update
from core.pushes.dispatch import Dispatcher
from core.runtime.clock import ManualClock
from core.storage.db import Database
from core.storage.models import Flag
from core.tracking.statuses import ShipmentStatus
from tests.integration.telegram.conftest import Harness, core_config
from tests.integration.telegram.shop import Shop
from tests.integration.telegram.test_conversation import identity, shown


async def test_a_german_shopper_verifies_with_a_postcode_and_reads_german(
    telegram: Harness, db: Database, shop: Shop
) -> None:
    ada = telegram.chat(701, language_code="de")
    [ask] = await ada.say("wo ist meine bestellung 1001")
    assert "E-Mail-Adresse oder die Postleitzahl der Bestellung 1001" in shown(ask.text)
    assert "Unterwegs" not in shown(ask.text)  # nothing about the order before the proof
    replies = await ada.say("meine PLZ ist 10115")
    text = "\n".join(shown(m.text) for m in replies)
    assert "Danke, das sind Sie!" in text
    card = replies[-1]
    assert "Bestellung 1001" in shown(card.text)
    assert "Unterwegs" in shown(card.text)  # in transit
    # The timeline's dates are German ("Di., 24. Nov., 10:00 Uhr"), not English.
    assert "Uhr" in shown(card.text)
    labels = [b["text"] for b in card.buttons]
    assert "Aktualisieren" in labels and "Mit einem Mitarbeiter sprechen" in labels
    assert (await identity(db, 701)).locale == "de"


async def test_what_the_shopper_writes_beats_the_apps_language(
    telegram: Harness, db: Database, shop: Shop
) -> None:
    # The app says English; the shopper writes French, then a bare number.
    marie = telegram.chat(702, first_name="Marie", language_code="en")
    [ask] = await marie.say("Bonjour, où est ma commande n° 1001 ?")
    assert "l'adresse e-mail ou le code postal utilisé pour la commande 1001" in shown(ask.text)
    replies = await marie.say(shop.ada_email)
    assert "c'est bien vous" in "\n".join(shown(m.text) for m in replies)
    [card] = await marie.say("1001")  # too short to tell: the chat stays French
    assert "Commande 1001" in shown(card.text)
    assert "En route" in shown(card.text)
    assert (await identity(db, 702)).locale == "fr"


async def test_a_spanish_app_language_answers_a_bare_number_in_spanish(
    telegram: Harness, shop: Shop
) -> None:
    lucia = telegram.chat(703, first_name="Lucía", language_code="es-MX")
    [ask] = await lucia.say("1002")
    assert "correo electrónico o el código postal que usó en el pedido 1002" in shown(ask.text)
    [wrong] = await lucia.say("mi código postal es 99999")
    assert "no he podido relacionar ese número de pedido" in shown(wrong.text)


async def test_pushes_use_the_chats_stored_language(
    telegram: Harness, db: Database, clock: ManualClock, shop: Shop
) -> None:
    ada = telegram.chat(704, language_code="en")
    await ada.say("Wo ist meine Bestellung 1001?")
    replies = await ada.say(shop.ada_email)
    card = replies[-1]
    if any(b["text"] == "Updates erhalten" for b in card.buttons):
        await ada.press(card, "Updates erhalten")
    before = len(telegram.botapi.sent_to(704))
    clock.advance(hours=1)
    async with db.transaction() as session:
        await apply_tracking_update(
            session,
            clock,
            core_config(),
            TrackingUpdate(
                source="test",
                source_event_id="ofd-de",
                tracking_number="JD0001",
                status=ShipmentStatus.OUT_FOR_DELIVERY,
                occurred_at=clock.now(),
                location="Berlin",
            ),
        )
    stats = await Dispatcher(db, clock, {"telegram": telegram.channel.sender}).drain()
    assert stats.sent == 1
    [push] = telegram.botapi.sent_to(704)[before:]
    assert push.text.startswith("<b>Bestellung 1001 ist in Zustellung</b>")
    assert "Sendungsnummer" in shown(push.text)
    assert "Sendung verfolgen" in [b["text"] for b in push.buttons]


async def test_a_german_damage_report_with_a_photo(
    telegram: Harness, db: Database, shop: Shop
) -> None:
    ada = telegram.chat(705, language_code="de")
    await ada.say("1002 ada@example.com")
    [report] = await ada.say("Die Socken aus Bestellung 1002 sind kaputt angekommen")
    seen = shown(report.text)
    assert "Es tut mir leid, dass die Bestellung 1002 beschädigt angekommen ist." in seen
    assert "Artikel in Bestellung 1002: Wool socks." in seen
    assert "schicken Sie mir hier Fotos davon" in seen
    labels = [b["text"] for b in report.buttons]
    assert labels == ["Rücksendung starten", "Mit einem Mitarbeiter sprechen"]
    photo = [{"file_id": "AgAC-de", "file_unique_id": "AQ-de", "width": 800, "height": 600}]
    [thanks] = await ada.say(None, photo=photo, caption="Der Karton war nass")
    assert "ich habe das Foto Ihrer Meldung hinzugefügt (bisher 1)" in shown(thanks.text)
    async with db.session() as session:
        flag = (await session.exec(select(Flag))).one()
    assert flag.kind == "damaged"
    assert flag.evidence is not None and flag.evidence["photos"] == ["telegram:AgAC-de"]
    assert flag.evidence["details"] == ["Der Karton war nass"]

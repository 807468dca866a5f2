"""One truth per answer: what the shopper reads about when a parcel arrives never
contradicts itself — the status sentence, "Expected" and "Usually arrives" agree.

Every shipment status is combined with every kind of estimate (none, a carrier ETA for a
later day, for today, for a day that has passed; a shop promise or none; a usual window or
none; for out-for-delivery a scan from today or from yesterday)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.ingest.tracking_update import TrackingUpdate
from core.ingest.updates import apply_tracking_update
from core.replies import messages
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from core.tracking.estimate import EstimateSource, delivery_estimate
from core.tracking.order_reply import order_reply
from core.tracking.prediction import DeliveryWindow
from core.tracking.statuses import ShipmentStatus
from core.tracking.views import EventView, OrderView, ShipmentView
from tests.unit.conversation.conftest import Bot
from tests.unit.conversation.shop import render

TZ = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)  # Thu 3 Dec, 11:00 in Berlin
SAT = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
TODAY_NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
MONDAY = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
PROMISE = datetime(2026, 12, 8, 12, 0, tzinfo=UTC)  # Tue 8 Dec
WINDOW = DeliveryWindow(
    earliest=date(2026, 12, 4), latest=date(2026, 12, 7), timezone="Europe/Berlin",
    basis=("dhl", "DE", "10"), samples=40,
)  # fmt: skip

ETAS = {"no ETA": None, "ETA Sat": SAT, "ETA today": TODAY_NOON, "ETA passed": MONDAY}
PROMISES = {"no promise": None, "promise Tue": PROMISE}
WINDOWS = {"no window": None, "window Fri-Mon": WINDOW}
SCANS = {"scanned today": NOW - timedelta(hours=2), "scanned yesterday": NOW - timedelta(days=1)}


def order(
    status: str, *, eta: datetime | None = None, promised: datetime | None = None,
    window: DeliveryWindow | None = None, scanned: datetime | None = None,
) -> OrderView:  # fmt: skip
    scanned = scanned or NOW - timedelta(hours=2)
    parcel = ShipmentView(
        id=1, carrier="DHL", tracking_number="JD1", tracking_url=None, status=status,
        location="Berlin", carrier_eta=eta, last_event_at=scanned,
        delivered_at=scanned if status == ShipmentStatus.DELIVERED else None,
        events=(EventView(at=scanned, status=status, text="", location="Berlin"),),
        carrier_code="dhl", handed_over=NOW - timedelta(days=2), predicted=window,
    )  # fmt: skip
    return OrderView(
        id=1, number="1001", customer_id=1, status="shipped", placed_at=NOW - timedelta(days=3),
        promised_by=promised, delivered_at=None, timezone="Europe/Berlin", items=(),
        shipments=(parcel,),
    )  # fmt: skip


def answer(view: OrderView) -> str:
    return render([order_reply(view, tz=TZ, now=NOW)])


def expected_line(text: str) -> str | None:
    lines = [line for line in text.splitlines() if line.startswith("Expected")]
    assert len(lines) <= 1, text  # one expected day per parcel, never two
    return lines[0] if lines else None


def test_out_for_delivery_this_morning_beats_the_older_carrier_estimate() -> None:
    # The bug a merchant saw: "should arrive today" above "Expected: Sat 5 Dec".
    text = answer(order(ShipmentStatus.OUT_FOR_DELIVERY, eta=SAT, promised=PROMISE))
    assert "It's out for delivery and should arrive today." in text
    assert expected_line(text) == "Expected: today"
    assert "Sat 5 Dec" not in text and "Tue 8 Dec" not in text


def test_out_for_delivery_since_yesterday_does_not_say_today() -> None:
    text = answer(order(ShipmentStatus.OUT_FOR_DELIVERY, eta=SAT, scanned=NOW - timedelta(days=1)))
    assert "today" not in text
    assert "It went out for delivery on Wed 2 Dec and hasn't arrived yet" in text
    assert expected_line(text) == "Expected: Sat 5 Dec"


def test_a_carrier_estimate_that_has_passed_is_not_shown_as_expected() -> None:
    text = answer(order(ShipmentStatus.IN_TRANSIT, eta=MONDAY, promised=PROMISE))
    assert "Mon 30 Nov" not in text
    assert expected_line(text) == "Expected by: Tue 8 Dec"  # the shop's promise still holds


def test_the_carrier_estimate_wins_over_the_promise_and_the_usual_window() -> None:
    text = answer(order(ShipmentStatus.IN_TRANSIT, eta=SAT, promised=PROMISE, window=WINDOW))
    assert expected_line(text) == "Expected: Sat 5 Dec"
    assert "Usually arrives" not in text


def test_without_a_carrier_estimate_the_promise_and_the_usual_window_stand_together() -> None:
    text = answer(order(ShipmentStatus.IN_TRANSIT, promised=PROMISE, window=WINDOW))
    assert expected_line(text) == "Expected by: Tue 8 Dec"
    sentence = "It's with the carrier and on its way to you."
    assert f"{sentence} Usually arrives between tomorrow and Mon." in text


def test_a_delayed_parcel_is_not_promised_the_usual_days() -> None:
    text = answer(order(ShipmentStatus.EXCEPTION, promised=PROMISE, window=WINDOW))
    assert "Usually arrives" not in text
    assert expected_line(text) == "Expected by: Tue 8 Dec"


def test_a_parcel_at_the_pickup_point_expects_no_delivery() -> None:
    text = answer(order(ShipmentStatus.AVAILABLE_FOR_PICKUP, eta=SAT, promised=PROMISE))
    assert expected_line(text) is None
    assert "waiting for you at the pickup point" in text


def test_an_order_not_yet_shipped_with_a_passed_promise_shows_no_expected_day() -> None:
    view = order(ShipmentStatus.PENDING, promised=MONDAY)
    view = OrderView(**{**view.__dict__, "shipments": (), "status": "processing"})
    text = answer(view)
    assert "Nothing has been shipped yet." in text
    assert expected_line(text) is None


COMBINATIONS = list(
    itertools.product(list(ShipmentStatus), ETAS.items(), PROMISES.items(), WINDOWS.items(),
                      SCANS.items())
)  # fmt: skip


@pytest.mark.parametrize(
    ("status", "eta", "promise", "window", "scan"),
    COMBINATIONS,
    ids=[f"{s.value}-{e[0]}-{p[0]}-{w[0]}-{c[0]}" for s, e, p, w, c in COMBINATIONS],
)
def test_every_status_and_estimate_gives_one_consistent_answer(
    status: ShipmentStatus,
    eta: tuple[str, datetime | None],
    promise: tuple[str, datetime | None],
    window: tuple[str, DeliveryWindow | None],
    scan: tuple[str, datetime],
) -> None:
    view = order(status, eta=eta[1], promised=promise[1], window=window[1], scanned=scan[1])
    estimate = delivery_estimate(view, view.shipments[0], now=NOW, tz=TZ)
    text = answer(view)
    line = expected_line(text)
    says_today = "today" in text.split("\nCarrier")[0]  # the status sentence
    if status in (ShipmentStatus.DELIVERED, ShipmentStatus.AVAILABLE_FOR_PICKUP):
        assert line is None and "Usually" not in text
        return
    scanned_today = scan[1].astimezone(TZ).date() == NOW.astimezone(TZ).date()
    if status == ShipmentStatus.OUT_FOR_DELIVERY and scanned_today:
        assert says_today and line == "Expected: today" and "Usually" not in text
        assert estimate.source == EstimateSource.SCAN
        return
    assert not says_today or line in ("Expected: today", "Expected by: today"), text
    # A day that has passed is never "expected".
    assert "Mon 30 Nov" not in text
    if eta[1] is not None and eta[1] >= NOW - timedelta(hours=12):
        assert line == f"Expected: {'today' if eta[1] == TODAY_NOON else 'Sat 5 Dec'}"
        assert "Usually" not in text  # the carrier's word wins over history
    elif promise[1] is not None:
        assert line == "Expected by: Tue 8 Dec"
    else:
        assert line is None
    shows_window = "Usually arrives between tomorrow and Mon" in text
    healthy = status not in (
        ShipmentStatus.EXCEPTION, ShipmentStatus.EXPIRED, ShipmentStatus.OUT_FOR_DELIVERY
    )  # fmt: skip
    carrier_wins = estimate.source == EstimateSource.CARRIER
    assert shows_window == (window[1] is not None and healthy and not carrier_wins)


GERMAN = {
    "shipment.out_for_delivery.text": "Es ist in der Zustellung und kommt heute an.",
    "shipment.out_for_delivery.earlier": "Es ist seit {since} in der Zustellung.",
    "field.eta": "Erwartet",
    "date.today": "heute",
    "date.on_day": "{day}",
    "date.weekdays": "Mo Di Mi Do Fr Sa So",
}


def test_a_second_language_agrees_with_itself_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(messages.CATALOGUES, "de", GERMAN)
    today = render([order_reply(order("out_for_delivery", eta=SAT), tz=TZ, now=NOW, locale="de")])
    assert "kommt heute an" in today and "Erwartet: heute" in today and "Sa" not in today
    earlier = order("out_for_delivery", eta=SAT, scanned=NOW - timedelta(days=1))
    yesterday = render([order_reply(earlier, tz=TZ, now=NOW, locale="de")])
    assert "Es ist seit Mi 2 Dec in der Zustellung." in yesterday
    assert "Erwartet: Sa 5 Dec" in yesterday and "heute" not in yesterday


async def test_the_shopper_asking_after_the_out_for_delivery_scan_hears_today_only(
    jane: Bot, db: Database, clock: ManualClock, config: CoreConfig
) -> None:
    before = await jane.say("where is 1001?")
    assert "Expected: tomorrow" in before.text  # the carrier's estimate, a day out
    async with db.transaction() as session:
        await apply_tracking_update(session, clock, config, TrackingUpdate(
            source="dhl", source_event_id="ofd-1", tracking_number="JD0001",
            status=ShipmentStatus.OUT_FOR_DELIVERY, occurred_at=clock.now() - timedelta(minutes=5),
            location="Berlin depot",
        ))  # fmt: skip
    after = await jane.say("where is 1001?")
    assert "It's out for delivery and should arrive today." in after.text
    assert "Expected: today" in after.text and "tomorrow" not in after.text

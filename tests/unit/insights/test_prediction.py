"""Predicted delivery windows on synthetic history with a known transit-time distribution."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.insights.prediction_accuracy import backtest
from core.storage.db import Database
from core.tracking.prediction import ModelCache, describe_window, predicted_window
from core.tracking.transit import Distribution, region_of
from tests.unit.insights.shop import ShopBuilder

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)  # a Monday


def test_distribution_quantiles_interpolate_between_hour_midpoints() -> None:
    d = Distribution()
    for hour in (1, 2, 3, 10):
        d.add(hour)
    # values 1.5 2.5 3.5 10.5: median between 2.5 and 3.5; p90 at rank 2.7
    assert d.quantile(0.5) == pytest.approx(3.0)
    assert d.quantile(0.9) == pytest.approx(3.5 + 0.7 * 7)
    d.remove(10)
    assert d.quantile(1.0) == pytest.approx(3.5)
    assert Distribution().quantile(0.5) is None


def test_region_is_a_postcode_prefix() -> None:
    assert region_of("10115") == "10"
    assert region_of(" sw1a 1aa") == "SW"
    assert region_of("") == ""
    assert region_of(None) == ""


async def _history(
    shop: ShopBuilder,
    carrier: str,
    hours: list[int],
    *,
    country: str = "DE",
    postcode: str = "10115",
) -> None:
    """Parcels handed over in the weeks before NOW, each taking the given whole hours."""
    for i, h in enumerate(hours):
        handed = NOW - timedelta(days=40) + timedelta(hours=5 * i)
        order = await shop.order(handed, country=country, postcode=postcode)
        await shop.shipment(
            order, carrier, handed, [("delivered", handed + timedelta(hours=h, minutes=20))],
            delivered=handed + timedelta(hours=h, minutes=20),
        )  # fmt: skip


async def _parcel(
    shop: ShopBuilder,
    carrier: str = "DHL",
    *,
    handed: datetime = NOW,
    country: str = "DE",
    postcode: str = "10115",
    eta: datetime | None = None,
) -> int:
    order = await shop.order(handed, country=country, postcode=postcode)
    return await shop.shipment(order, carrier, handed, [("in_transit", handed)], eta=eta)


UNIFORM_48_TO_97 = [48 + i % 50 for i in range(100)]  # every hour 48..97 twice


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest) -> Database:
    """SQLite and PostgreSQL must agree on the transit SQL."""
    database: Database = request.getfixturevalue("db" if request.param == "sqlite" else "pg_db")
    return database


async def test_window_holds_the_middle_80_percent_of_comparable_deliveries(
    database: Database,
) -> None:
    db = database
    async with db.transaction() as session:
        shop = ShopBuilder(session)
        await _history(shop, "DHL", UNIFORM_48_TO_97)
        parcel = await _parcel(shop)
    async with db.session() as session:
        window = await predicted_window(
            session, parcel, now=NOW, cache=ModelCache(background=False)
        )
    assert window is not None
    # Values 48.5 … 97.5, two of each. p10 at rank 9.9 = 52.5 + 0.9 → +53.4 h = Wed 17:24;
    # p90 at rank 89.1 = 92.5 + 0.1 → +92.6 h = Fri 6 Nov 08:36.
    assert (window.earliest, window.latest) == (date(2026, 11, 4), date(2026, 11, 6))
    assert window.basis == ("DHL", "DE", "10")
    assert window.samples == 100
    assert describe_window(window, NOW) == "Usually arrives between Wed and Fri"


async def test_days_are_those_of_the_delivery_address(db: Database) -> None:
    async with db.transaction() as session:
        shop = ShopBuilder(session)
        await _history(shop, "DHL", [20] * 30)
        order = await shop.order(NOW, country="AU", postcode="2000")
        parcel = await shop.shipment(order, "DHL", NOW, [])
        # 12:00 UTC + 20.5 h = Tue 08:30 UTC = Tue 19:30 in Sydney, still Tuesday there
        from core.storage.models import Order

        stored = await session.get(Order, order)
        assert stored is not None
        stored.ship_timezone = "Pacific/Kiritimati"  # UTC+14: Tue 08:30 UTC is Tue 22:30
    async with db.session() as session:
        window = await predicted_window(
            session, parcel, now=NOW, cache=ModelCache(background=False)
        )
    assert window is not None
    assert window.timezone == "Pacific/Kiritimati"
    assert window.earliest == window.latest == date(2026, 11, 3)
    # Now is already Tue 02:00 in Kiritimati: the single day is today there.
    assert describe_window(window, NOW) == "Usually arrives today"


async def test_thin_groups_fall_back_to_wider_ones(db: Database) -> None:
    async with db.transaction() as session:
        shop = ShopBuilder(session)
        await _history(shop, "DHL", UNIFORM_48_TO_97)  # Berlin (10)
        await _history(shop, "DHL", [24] * 25, postcode="80331")  # Munich (80), fast
        await _history(shop, "DHL", [24] * 5, country="FR", postcode="75001")  # too few
        munich = await _parcel(shop, postcode="80331")
        paris = await _parcel(shop, country="FR", postcode="75001")
        hamburg = await _parcel(shop, postcode="20095")
        gls = await _parcel(shop, "GLS")
    cache = ModelCache(background=False)
    async with db.session() as session:
        munich_w = await predicted_window(session, munich, now=NOW, cache=cache)
        paris_w = await predicted_window(session, paris, now=NOW, cache=cache)
        hamburg_w = await predicted_window(session, hamburg, now=NOW, cache=cache)
        gls_w = await predicted_window(session, gls, now=NOW, cache=cache)
    assert munich_w is not None and munich_w.basis == ("DHL", "DE", "80")
    assert munich_w.earliest == munich_w.latest == date(2026, 11, 3)
    assert describe_window(munich_w, NOW) == "Usually arrives tomorrow"
    assert paris_w is not None and paris_w.basis == ("DHL",)  # FR has 5 < 20
    assert paris_w.samples == 130
    assert hamburg_w is not None and hamburg_w.basis == ("DHL", "DE")  # no region history
    assert gls_w is not None and gls_w.basis == ()  # no GLS history: the whole shop
    assert gls_w.basis_label == "all carriers"


async def test_no_window_when_the_carrier_knows_better_or_history_is_thin(db: Database) -> None:
    async with db.transaction() as session:
        shop = ShopBuilder(session)
        await _history(shop, "DHL", [50] * 19)  # one short of MIN_SAMPLES
        thin = await _parcel(shop)
    async with db.session() as session:
        assert (
            await predicted_window(session, thin, now=NOW, cache=ModelCache(background=False))
            is None
        )

    async with db.transaction() as session:
        shop = ShopBuilder(session, first_number=1000)
        await _history(shop, "UPS", [50] * 20)
        with_eta = await _parcel(shop, "UPS", eta=NOW + timedelta(days=1))
        long_ago = await _parcel(shop, "UPS", handed=NOW - timedelta(days=10))
        old = await _parcel(shop, "UPS", handed=NOW - timedelta(days=1))
        new = await _parcel(shop, "UPS")
    cache = ModelCache(background=False)
    async with db.session() as session:
        assert await predicted_window(session, with_eta, now=NOW, cache=cache) is None
        # Usually two days; after ten the window is over: say nothing rather than a past day.
        assert await predicted_window(session, long_ago, now=NOW, cache=cache) is None
        assert await predicted_window(session, 999_999, now=NOW, cache=cache) is None
        started = await predicted_window(session, old, now=NOW, cache=cache)
        fresh = await predicted_window(session, new, now=NOW, cache=cache)
    assert started is not None and fresh is not None
    assert describe_window(started, NOW) == "Usually arrives tomorrow"  # Sun 12:00 + 50.5 h
    assert describe_window(fresh, NOW) == "Usually arrives on Wed"  # Mon 12:00 + 50.5 h


async def test_the_model_is_cached_until_it_is_stale(db: Database) -> None:
    cache = ModelCache(ttl=timedelta(hours=6), background=False)
    async with db.transaction() as session:
        shop = ShopBuilder(session)
        parcel = await _parcel(shop)
    async with db.session() as session:
        assert await predicted_window(session, parcel, now=NOW, cache=cache) is None
    async with db.transaction() as session:
        await _history(ShopBuilder(session, first_number=1000), "DHL", [30] * 20)
    async with db.session() as session:
        # The empty model is still fresh an hour later...
        later = NOW + timedelta(hours=1)
        assert await predicted_window(session, parcel, now=later, cache=cache) is None
        # ...and rebuilt once it is six hours old.
        rebuilt = await predicted_window(session, parcel, now=NOW + timedelta(hours=6), cache=cache)
    assert rebuilt is not None and rebuilt.samples == 20


def test_far_days_are_named_with_their_date() -> None:
    from core.tracking.prediction import DeliveryWindow

    window = DeliveryWindow(date(2026, 11, 10), date(2026, 11, 12), "UTC", ("DHL",), 40)
    assert describe_window(window, NOW) == "Usually arrives between Tue 10 Nov and Thu 12 Nov"
    assert window.contains(datetime(2026, 11, 12, 23, 59, tzinfo=UTC))
    assert not window.contains(datetime(2026, 11, 13, 0, 0, tzinfo=UTC))


async def test_backtest_scores_each_delivery_with_what_was_known_at_hand_over(
    database: Database,
) -> None:
    db = database
    start = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
    async with db.transaction() as session:
        shop = ShopBuilder(session)
        # One parcel a day at 10:00; days 0-99 arrive two days later at 09:30, days 100-104
        # five days later.
        for day in range(105):
            handed = start + timedelta(days=day)
            done = handed + (timedelta(hours=47, minutes=30) if day < 100 else timedelta(days=5))
            order = await shop.order(handed)
            await shop.shipment(order, "DHL", handed, [("delivered", done)], delivered=done)
    async with db.session() as session:
        accuracy = await backtest(session, since=start, until=start + timedelta(days=200))
    # A delivery counts from the end of its hour (10:00), so at hand-over on day d the
    # deliveries of days 0..d-2 are known: d-1 of them, so days
    # 0-20 have fewer than 20 and get no prediction. Days 21-99 land on the predicted day
    # (d+2); days 100-104 arrive three days after it.
    assert accuracy.unpredicted == 21
    assert (accuracy.evaluated, accuracy.inside, accuracy.early, accuracy.late) == (84, 79, 0, 5)
    assert accuracy.share == pytest.approx(79 / 84)
    assert accuracy.mean_width_days == pytest.approx(1.0)
    assert accuracy.by_carrier["DHL"].inside == 79
    assert accuracy.target_share == pytest.approx(0.8)


async def test_the_model_is_built_in_the_background_off_the_question_path(db: Database) -> None:
    async with db.transaction() as session:
        shop = ShopBuilder(session)
        await _history(shop, "DHL", [30] * 20)
        parcel = await _parcel(shop)
    cache = ModelCache()  # background, as in the service
    async with db.session() as session:
        # Cold start: no model yet, so no prediction rather than a wait of seconds.
        assert await predicted_window(session, parcel, now=NOW, cache=cache) is None
        await cache.wait()
        first = await predicted_window(session, parcel, now=NOW, cache=cache)
        assert first is not None and first.samples == 20
    async with db.transaction() as session:
        await _history(ShopBuilder(session, first_number=1000), "DHL", [30] * 5)
    async with db.session() as session:
        # Stale: the old model answers while the new one is built.
        later = NOW + timedelta(hours=7)
        stale = await predicted_window(session, parcel, now=later, cache=cache)
        assert stale is not None and stale.samples == 20
        await cache.wait()
        fresh = await predicted_window(session, parcel, now=later, cache=cache)
        assert fresh is not None and fresh.samples == 25

"""The shopper's tracking page over real HTTP: what a shopper with the link sees, and what
someone without a valid link does not."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.tracking_page import page_locale
from core.replies import messages
from core.runtime.clock import ManualClock
from core.storage.db import Database
from tests.integration.web.conftest import Shop, open_shop


async def test_the_page_shows_status_parcel_timeline_and_returns(shop: Shop) -> None:
    response = await shop.client.get(shop.page_path)
    html = response.text
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<title>Order 1001 · Northwind Outfitters</title>" in html
    assert "It's with the carrier and on its way to you." in html
    assert "JD0001" in html
    assert "Arrived at the hub — Berlin &lt;hub&gt;" in html
    assert "Picked up by DHL — Leipzig, DE" in html
    assert '<time datetime="2026-12-03T09:45:00+00:00">' in html
    assert "You can return items for 30 days after delivery." in html
    # Shop and carrier text is escaped, never markup.
    assert 'Blue &lt;mug&gt; &amp; "saucer"' in html and "<mug>" not in html
    assert 'href="https://' in html  # the carrier's tracking link
    assert "<script" not in html and "src=" not in html  # nothing runs, nothing is fetched
    assert len(response.content) <= 50_000
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "Continue in Telegram" not in html  # no bot configured


async def test_the_timeline_is_newest_first_and_in_the_readers_zone(shop: Shop) -> None:
    html = (await shop.client.get(shop.page_path)).text
    times = re.findall(r'<time datetime="([^"]+)"', html)
    assert times == sorted(times, reverse=True) and len(times) == 3


async def test_a_tampered_link_shows_nothing_of_the_order(shop: Shop) -> None:
    order_part, expiry, signature = shop.page_path.removeprefix("/t/").split(".")
    for path in (
        f"/t/{int(order_part, 36) + 1:x}.{expiry}.{signature}",
        f"/t/{order_part}.{expiry}.{signature[:-2]}AA",
        "/t/nonsense",
        "/t/" + "9" * 60,
    ):
        response = await shop.client.get(path)
        assert response.status_code == 404, path
        assert "This tracking link doesn't work" in response.text
        assert "1001" not in response.text and "JD0001" not in response.text


async def test_an_expired_link_says_so(shop: Shop, page_clock: ManualClock) -> None:
    page_clock.advance(days=91)
    response = await shop.client.get(shop.page_path)
    assert response.status_code == 410
    assert "This tracking link has expired" in response.text
    assert "1001" not in response.text


async def test_continue_in_telegram_hands_out_a_fresh_deep_link(db: Database) -> None:
    clock = ManualClock()
    clock.advance(days=31)
    async for shop in open_shop(
        db, clock, telegram_token="123:abc", telegram_bot_username="northwind_bot"
    ):
        html = (await shop.client.get(shop.page_path)).text
        assert "Continue in Telegram" in html
        first = await shop.client.get(f"{shop.page_path}/telegram", follow_redirects=False)
        second = await shop.client.get(f"{shop.page_path}/telegram", follow_redirects=False)
        assert first.status_code == 303
        assert first.headers["location"].startswith("https://t.me/northwind_bot?start=")
        assert first.headers["location"] != second.headers["location"]  # single-use each
        forged = await shop.client.get("/t/1.zz.AAAAAAAAAAAAAAAAAAAAAA/telegram")
        assert forged.status_code == 404 and "t.me" not in forged.headers.get("location", "")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "en"),
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("fr-CH, fr;q=0.9", "fr"),
        ("it-IT, it;q=0.9", "en"),
        ("en;q=0.1, de;q=0.5", "de"),
        ("de;q=0, en", "en"),
        ("de;q=nonsense, en", "en"),
        ("*", "en"),
    ],
)
def test_the_page_speaks_the_readers_language_when_wismo_does(
    header: str | None, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(messages.CATALOGUES, "de", {"page.returns": "Rücksendungen"})
    assert page_locale(header) == expected


async def test_once_delivered_the_page_names_the_last_day_for_returns(
    shop: Shop, page_clock: ManualClock
) -> None:
    from core.ingest.tracking_update import TrackingUpdate
    from core.ingest.updates import apply_tracking_update
    from core.tracking.statuses import ShipmentStatus

    async with shop.services.database.transaction() as session:
        await apply_tracking_update(
            session,
            shop.services.clock,
            shop.services.config,
            TrackingUpdate(
                source="test",
                source_event_id="e4",
                tracking_number="JD0001",
                status=ShipmentStatus.DELIVERED,
                occurred_at=page_clock.now() - timedelta(hours=1),
                text="Delivered to the front door",
            ),
        )
    html = (await shop.client.get(shop.page_path)).text
    assert "Delivered to the front door" in html
    assert "You can return items until Sat 2 Jan." in html
    page_clock.advance(days=31)
    assert "The return window closed on Sat 2 Jan." in (await shop.client.get(shop.page_path)).text

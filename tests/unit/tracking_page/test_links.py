"""Tracking-page links: signed, expiring, and nothing shown for a forged or stale one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from core.runtime.config import CoreConfig
from core.tracking_page.links import PageLinkError, page_token, page_url, read_page_token

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
CONFIG = CoreConfig(secret_key="page-test", public_url="https://track.example.com/")


def test_a_token_opens_its_order_until_it_expires() -> None:
    token = page_token(CONFIG, 4711, NOW)
    link = read_page_token(CONFIG, token, NOW + timedelta(days=89))
    assert link.order_id == 4711
    assert link.expires_at == NOW + CONFIG.tracking_link_ttl
    assert page_url(CONFIG, token) == f"https://track.example.com/t/{token}"
    with pytest.raises(PageLinkError) as expired:
        read_page_token(CONFIG, token, NOW + timedelta(days=90))
    assert expired.value.reason == "expired"


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.replace(t.split(".")[0], "2", 1),  # another order, same signature
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # a changed signature
        lambda t: t.split(".")[0] + ".zzzzzzzz." + t.split(".")[2],  # a later expiry
        lambda t: t + ".",
        lambda t: "",
        lambda t: "1.2.3",
        lambda t: "x" * 5000,
        lambda t: t.replace(".", "\x00"),
    ],
)
def test_a_tampered_token_opens_nothing(change) -> None:  # type: ignore[no-untyped-def]
    token = page_token(CONFIG, 1, NOW)
    with pytest.raises(PageLinkError) as refused:
        read_page_token(CONFIG, change(token), NOW)
    assert refused.value.reason == "invalid"


def test_another_shops_key_opens_nothing() -> None:
    token = page_token(CONFIG, 1, NOW)
    with pytest.raises(PageLinkError):
        read_page_token(replace(CONFIG, secret_key="other-shop"), token, NOW)

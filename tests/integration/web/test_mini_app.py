"""The tracking page as a Telegram Mini App over real HTTP: nothing before Telegram's
initData signature checks out, then only the orders of the chat's verified customer."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta
from urllib.parse import urlencode

from sqlmodel import select

from adapters.telegram.web_app import InitDataRefused, check_init_data
from core.runtime.clock import ManualClock
from core.storage.db import Database
from core.storage.models import ChannelIdentity, Order
from tests.integration.web.conftest import NOW, open_shop

BOT_TOKEN = "123456:mini-app-test"


def signed(fields: dict[str, str], token: str = BOT_TOKEN) -> str:
    """initData as Telegram signs it (core.telegram.org/bots/webapps)."""
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    digest = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode({**fields, "hash": digest})


def init_data(user_id: int, at: int | None = None, token: str = BOT_TOKEN) -> str:
    user = json.dumps({"id": user_id, "first_name": "Ana", "language_code": "en"})
    return signed({"auth_date": str(at or int(NOW.timestamp())), "user": user}, token)


async def _verified_chat(database: Database, chat_id: str) -> None:
    async with database.transaction() as session:
        order = (await session.exec(select(Order).where(Order.number == "1001"))).one()
        session.add(
            ChannelIdentity(
                channel="telegram",
                external_id=chat_id,
                customer_id=order.customer_id,
                verified_at=NOW,
                created_at=NOW,
            )
        )


def test_init_data_is_checked_as_telegram_documents() -> None:
    user = check_init_data(init_data(77), BOT_TOKEN, NOW)
    assert user.id == 77 and user.language_code == "en"
    for forged, why in (
        (init_data(77, token="999:another-bot"), "signature"),
        (init_data(77).replace("%22id%22%3A+77", "%22id%22%3A+78"), "signature"),
        (init_data(77, at=int((NOW - timedelta(days=2)).timestamp())), "too old"),
        ("", "missing"),
        ("hash=abc", "signature"),
        ("&&&=", "query string"),
        ("x" * 5000, "oversized"),
    ):
        try:
            check_init_data(forged, BOT_TOKEN, NOW)
        except InitDataRefused as refused:
            assert why in str(refused), (forged[:40], refused)
        else:
            raise AssertionError(f"accepted {forged[:40]!r}")


async def test_the_mini_app_shows_the_verified_chats_orders_only(db: Database) -> None:
    clock = ManualClock(NOW)
    async for shop in open_shop(db, clock, telegram_token=BOT_TOKEN):
        await _verified_chat(db, "4242")
        shell = await shop.client.get("/app")
        assert shell.status_code == 200 and "<script>" in shell.text
        assert "script-src 'sha256-" in shell.headers["content-security-policy"]
        assert "1001" not in shell.text  # the shell shows nothing by itself

        mine = await shop.client.post("/app/orders?order=1001", content=init_data(4242))
        assert mine.status_code == 200
        assert "<h1>Order 1001</h1>" in mine.text and "Arrived at the hub" in mine.text

        stranger = await shop.client.post("/app/orders", content=init_data(5151))
        assert stranger.status_code == 200 and "No orders to show yet" in stranger.text
        assert "1001" not in stranger.text

        forged = await shop.client.post(
            "/app/orders", content=init_data(4242, token="999:another-bot")
        )
        assert forged.status_code == 401 and "1001" not in forged.text
        garbage = await shop.client.post("/app/orders", content=b"\xff\xfe\x00" * 10)
        assert garbage.status_code == 401


async def test_without_a_bot_there_is_no_mini_app(db: Database) -> None:
    async for shop in open_shop(db, ManualClock(NOW)):
        assert (await shop.client.get("/app")).status_code == 404
        assert (await shop.client.post("/app/orders", content=init_data(1))).status_code == 404

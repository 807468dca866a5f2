"""Races on PostgreSQL: concurrent decisions and concurrent requests for the same item."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from core.returns import requests as returns
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from core.storage.models import AuditEntry, Notification, ReturnRequest
from tests.unit.returns.conftest import Shop

pytestmark = pytest.mark.postgres

CONFIG = CoreConfig(slack_alerts_channel="C_ALERTS", return_address="Dock 4")


async def test_five_agents_deciding_at_once_make_one_decision(
    pg_db: Database, clock: ManualClock
) -> None:
    shop = Shop(pg_db, clock, CONFIG)
    ada = await shop.customer()
    chat = await shop.chat(ada)
    order, (shirt, *_rest) = await shop.order(ada)
    async with pg_db.transaction() as session:
        request = await returns.request_return(
            session, clock, CONFIG, identity=chat, order_id=order.id,
            items={shirt.id: 1}, reason="defective",
        )  # fmt: skip

    async def decide(n: int) -> str:
        try:
            async with pg_db.transaction() as session:
                if n % 2:
                    await returns.decline(
                        session, clock, CONFIG, request.id, actor=f"slack:U{n}", reason="other"
                    )
                else:
                    await returns.approve(session, clock, CONFIG, request.id, actor=f"slack:U{n}")
        except returns.AlreadyDecided:
            return "lost"
        return "won"

    outcomes = await asyncio.gather(*(decide(n) for n in range(5)))
    assert sorted(outcomes) == ["lost"] * 4 + ["won"]
    async with pg_db.session() as session:
        decisions = (
            await session.exec(select(AuditEntry).where(AuditEntry.action != "return.requested"))
        ).all()
        pushes = (
            await session.exec(select(Notification).where(Notification.identity_id == chat.id))
        ).all()
    assert len(decisions) == 1 and len(pushes) == 1


async def test_two_requests_for_the_same_item_at_once_open_one(
    pg_db: Database, clock: ManualClock
) -> None:
    shop = Shop(pg_db, clock, CONFIG)
    ada = await shop.customer()
    chat = await shop.chat(ada)
    order, (shirt, *_rest) = await shop.order(ada)

    async def ask() -> str:
        try:
            async with pg_db.transaction() as session:
                await returns.request_return(
                    session, clock, CONFIG, identity=chat, order_id=order.id,
                    items={shirt.id: 1}, reason="too_small",
                )  # fmt: skip
        except returns.ItemAlreadyInReturn:
            return "refused"
        return "opened"

    assert sorted(await asyncio.gather(ask(), ask(), ask())) == ["opened", "refused", "refused"]
    async with pg_db.session() as session:
        assert len((await session.exec(select(ReturnRequest))).all()) == 1

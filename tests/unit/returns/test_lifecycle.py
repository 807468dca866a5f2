"""A return's lifecycle after the request: decisions, receipt, refund, cancel, and refusals."""

from __future__ import annotations

import asyncio
import re

import pytest

from core.replies.reply import Reply
from core.returns import requests as returns
from core.runtime.config import CoreConfig
from core.storage.db import Database
from core.storage.models import ChannelIdentity, Order, ReturnRequest
from tests.unit.returns.conftest import Shop


async def _requested(shop: Shop) -> tuple[ReturnRequest, ChannelIdentity, Order]:
    ada = await shop.customer()
    chat = await shop.chat(ada)
    order, (shirt, *_rest) = await shop.order(ada)
    async with shop.db.transaction() as session:
        request = await returns.request_return(
            session,
            shop.clock,
            shop.config,
            identity=chat,
            order_id=order.id,
            items={shirt.id: 1},
            reason="defective",
        )
    return request, chat, order


async def _step(shop: Shop, step, return_id: int, **kwargs) -> ReturnRequest:
    async with shop.db.transaction() as session:
        return await step(session, shop.clock, shop.config, return_id, **kwargs)


async def _shopper_texts(shop: Shop, chat: ChannelIdentity) -> list[str]:
    pushes = [n for n in await shop.outbox() if n.identity_id == chat.id]
    return [
        "\n".join(s.text or "" for s in Reply.from_dict(n.reply).sections)
        + "|"
        + " ".join(s.title or "" for s in Reply.from_dict(n.reply).sections)
        for n in pushes
    ]


async def _order_status(shop: Shop, order: Order) -> str:
    async with shop.db.session() as session:
        return (await session.get(Order, order.id)).status


async def test_approve_gives_an_rma_and_sends_the_label_link(shop: Shop) -> None:
    request, chat, _order = await _requested(shop)
    approved = await _step(shop, returns.approve, request.id, actor="slack:U1")
    assert approved.state == "approved"
    assert approved.decided_by == "slack:U1"
    assert approved.decided_at == shop.clock.now()
    assert re.fullmatch(r"RMA-[A-Z2-9]{8}", approved.rma_code)
    [push] = [n for n in await shop.outbox() if n.identity_id == chat.id]
    assert push.kind == "return_approved"
    text = " ".join(await _shopper_texts(shop, chat))
    assert approved.rma_code in text
    assert f"https://acme.example/labels/{approved.rma_code}" in text
    assert [e.action for e in await shop.audit()] == ["return.requested", "return.approved"]


async def test_approve_without_label_template_sends_the_return_address(db: Database, clock) -> None:
    shop = Shop(db, clock, CoreConfig(return_address="Acme Returns, Dock 4, Springfield"))
    request, chat, _order = await _requested(shop)
    approved = await _step(shop, returns.approve, request.id, actor="slack:U1")
    text = " ".join(await _shopper_texts(shop, chat))
    assert "send it to: Acme Returns, Dock 4, Springfield" in text
    assert approved.rma_code in text
    # No alerts channel configured: nothing goes to staff, the request still works.
    assert all(n.identity_id is not None for n in await shop.outbox())


async def test_a_second_decision_is_refused_with_who_decided(shop: Shop) -> None:
    request, _chat, _order = await _requested(shop)
    await _step(shop, returns.approve, request.id, actor="slack:U1")
    shop.clock.advance(minutes=5)
    with pytest.raises(returns.AlreadyDecided) as lost:
        await _step(shop, returns.decline, request.id, actor="slack:U2", reason="other")
    assert (lost.value.by, lost.value.state) == ("slack:U1", "approved")
    assert lost.value.at == shop.clock.now() - __import__("datetime").timedelta(minutes=5)
    with pytest.raises(returns.AlreadyDecided):
        await _step(shop, returns.approve, request.id, actor="slack:U2")


async def test_two_decisions_at_once_yield_exactly_one_winner(shop: Shop) -> None:
    request, chat, _order = await _requested(shop)

    async def decide(step, actor: str, **kwargs) -> str:
        try:
            await _step(shop, step, request.id, actor=actor, **kwargs)
        except returns.AlreadyDecided:
            return "lost"
        return "won"

    outcomes = await asyncio.gather(
        decide(returns.approve, "slack:U1"),
        decide(returns.decline, "slack:U2", reason="other"),
        decide(returns.approve, "slack:U3"),
    )
    assert sorted(outcomes) == ["lost", "lost", "won"]
    pushes = [n for n in await shop.outbox() if n.identity_id == chat.id]
    assert len(pushes) == 1  # the shopper hears one decision
    assert len([e for e in await shop.audit() if e.action != "return.requested"]) == 1


async def test_decline_tells_the_shopper_why_with_the_agents_note(shop: Shop) -> None:
    request, chat, order = await _requested(shop)
    declined = await _step(
        shop,
        returns.decline,
        request.id,
        actor="slack:U1",
        reason="return_period_ended",
        note="We can offer store credit instead.",
    )
    assert (declined.state, declined.decline_reason) == ("declined", "return_period_ended")
    text = " ".join(await _shopper_texts(shop, chat))
    assert "The return period has ended" in text
    assert "We can offer store credit instead." in text
    assert await _order_status(shop, order) == "delivered"


async def test_decline_refuses_bad_reason_and_long_note_without_writing(shop: Shop) -> None:
    request, _chat, _order = await _requested(shop)
    with pytest.raises(returns.UnknownReason):
        await _step(shop, returns.decline, request.id, actor="slack:U1", reason="nope")
    with pytest.raises(returns.TextTooLong):
        await _step(
            shop, returns.decline, request.id, actor="slack:U1", reason="other", note="x" * 501
        )
    await _step(shop, returns.decline, request.id, actor="slack:U1", reason="other", note="x" * 500)


async def test_received_then_refunded_completes_the_return(shop: Shop) -> None:
    request, chat, order = await _requested(shop)
    await _step(shop, returns.approve, request.id, actor="slack:U1")
    received = await _step(shop, returns.mark_received, request.id, actor="api:erp")
    assert (received.state, received.received_at) == ("received", shop.clock.now())
    refunded = await _step(shop, returns.mark_refunded, request.id, actor="api:erp")
    assert refunded.state == "refunded"
    assert await _order_status(shop, order) == "returned"
    kinds = [n.kind for n in await shop.outbox() if n.identity_id == chat.id]
    assert kinds == ["return_approved", "return_received", "return_refunded"]
    texts = await _shopper_texts(shop, chat)
    assert "Your parcel is back with us" in texts[1]
    assert "Your refund is on its way" in texts[2]
    # Steps taken outside Slack repost the card so staff see the new state.
    staff = [n.kind for n in await shop.outbox() if n.identity_id is None]
    assert staff == ["return_requested", "return_updated", "return_updated"]


async def test_steps_out_of_order_are_refused(shop: Shop) -> None:
    request, _chat, _order = await _requested(shop)
    with pytest.raises(returns.WrongState) as refused:
        await _step(shop, returns.mark_received, request.id, actor="api:erp")
    assert refused.value.state == "requested"
    with pytest.raises(returns.WrongState):
        await _step(shop, returns.mark_refunded, request.id, actor="api:erp")
    await _step(shop, returns.approve, request.id, actor="slack:U1")
    with pytest.raises(returns.WrongState):
        await _step(shop, returns.mark_refunded, request.id, actor="api:erp")
    await _step(shop, returns.mark_received, request.id, actor="api:erp")
    with pytest.raises(returns.WrongState) as again:
        await _step(shop, returns.mark_received, request.id, actor="api:erp")
    assert again.value.state == "received"


async def test_the_shopper_can_cancel_before_a_decision_only(shop: Shop) -> None:
    request, chat, order = await _requested(shop)
    async with shop.db.transaction() as session:
        cancelled = await returns.cancel(
            session, shop.clock, shop.config, request.id, identity=chat
        )
    assert (cancelled.state, cancelled.cancelled_at) == ("cancelled", shop.clock.now())
    assert await _order_status(shop, order) == "delivered"
    with pytest.raises(returns.AlreadyDecided) as lost:
        await _step(shop, returns.approve, request.id, actor="slack:U1")
    assert (lost.value.by, lost.value.state) == ("the shopper", "cancelled")

    second, chat2, _order2 = await _requested(shop)
    await _step(shop, returns.approve, second.id, actor="slack:U1")
    async with shop.db.transaction() as session:
        with pytest.raises(returns.AlreadyDecided):
            await returns.cancel(session, shop.clock, shop.config, second.id, identity=chat2)


async def test_nobody_else_can_cancel_a_shoppers_return(shop: Shop) -> None:
    request, _chat, _order = await _requested(shop)
    stranger = await shop.chat(await shop.customer("Eve"))
    async with shop.db.transaction() as session:
        with pytest.raises(returns.NotYourOrder):
            await returns.cancel(session, shop.clock, shop.config, request.id, identity=stranger)


async def test_an_unknown_return_is_not_found(shop: Shop) -> None:
    with pytest.raises(returns.ReturnNotFound):
        await _step(shop, returns.approve, 999, actor="slack:U1")
    with pytest.raises(returns.ReturnNotFound):
        await _step(shop, returns.mark_received, 999, actor="api:erp")

"""Asking for a return: the policy's every refusal, and what a valid request writes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from core.returns import requests as returns
from core.storage.models import ChannelIdentity, Order, ReturnItem, ReturnRequest
from tests.unit.returns.conftest import Shop


async def _request(shop: Shop, identity: ChannelIdentity, order: Order, items, **kw):
    async with shop.db.transaction() as session:
        return await returns.request_return(
            session,
            shop.clock,
            shop.config,
            identity=identity,
            order_id=order.id,
            items=items,
            reason=kw.pop("reason", "too_small"),
            **kw,
        )


async def _count_requests(shop: Shop) -> int:
    async with shop.db.session() as session:
        return len((await session.exec(select(ReturnRequest))).all())


async def test_a_valid_request_is_stored_audited_and_posted_to_staff(shop: Shop) -> None:
    ada = await shop.customer()
    chat = await shop.chat(ada)
    order, (shirt, socks, _hat) = await shop.order(ada)

    request = await _request(
        shop, chat, order, {shirt.id: 1, socks.id: 2}, reason="too_large", comment="  roomy  "
    )

    assert request.state == "requested"
    assert request.reason == "too_large"
    assert request.comment == "roomy"
    async with shop.db.session() as session:
        items = (await session.exec(select(ReturnItem))).all()
        assert {(i.order_item_id, i.qty) for i in items} == {(shirt.id, 1), (socks.id, 2)}
        assert (await session.get(Order, order.id)).status == "return_requested"
    [entry] = await shop.audit()
    assert entry.action == "return.requested"
    assert entry.actor == f"telegram:{chat.external_id}"
    [card] = await shop.outbox()
    assert card.identity_id is None
    assert card.recipient == "C_ALERTS"
    assert (card.subject_type, card.subject_id) == ("return", request.id)
    assert card.kind == "return_requested"
    text = str(card.reply)
    assert "Blue shirt" in text and "2 × Socks" in text
    assert [b["action"] for b in card.reply["buttons"]][:2] == ["return_approve", "return_decline"]


async def test_another_shoppers_order_is_refused(shop: Shop) -> None:
    ada, bob = await shop.customer(), await shop.customer("Bob Stone")
    order, (shirt, *_rest) = await shop.order(ada)
    with pytest.raises(returns.NotYourOrder):
        await _request(shop, await shop.chat(bob), order, {shirt.id: 1})
    with pytest.raises(returns.NotYourOrder):  # a chat that never proved who it is
        await _request(shop, await shop.chat(None), order, {shirt.id: 1})
    assert await _count_requests(shop) == 0


async def test_an_undelivered_order_cannot_be_returned(shop: Shop) -> None:
    ada = await shop.customer()
    order, (shirt, *_rest) = await shop.order(ada, delivered_days_ago=None)
    with pytest.raises(returns.NotDelivered):
        await _request(shop, await shop.chat(ada), order, {shirt.id: 1})
    assert await _count_requests(shop) == 0


async def test_the_window_counts_from_delivery(shop: Shop) -> None:
    ada = await shop.customer()
    chat = await shop.chat(ada)
    order, (shirt, socks, _hat) = await shop.order(ada, delivered_days_ago=0)
    shop.clock.advance(days=30)  # the last moment of a 30-day window
    await _request(shop, chat, order, {shirt.id: 1})
    shop.clock.advance(seconds=1)
    with pytest.raises(returns.OutsideReturnWindow) as refused:
        await _request(shop, chat, order, {socks.id: 1})
    assert refused.value.deadline == order.delivered_at + timedelta(days=30)


async def test_final_sale_items_are_refused(shop: Shop) -> None:
    ada = await shop.customer()
    order, (shirt, _socks, hat) = await shop.order(ada)
    with pytest.raises(returns.NotReturnable) as refused:
        await _request(shop, await shop.chat(ada), order, {shirt.id: 1, hat.id: 1})
    assert refused.value.item_names == ["Sale hat"]
    assert await _count_requests(shop) == 0


async def test_an_item_of_another_order_is_refused(shop: Shop) -> None:
    ada = await shop.customer()
    order, _items = await shop.order(ada)
    _other, (foreign, *_rest) = await shop.order(ada)
    with pytest.raises(returns.ItemNotInOrder):
        await _request(shop, await shop.chat(ada), order, {foreign.id: 1})


async def test_one_open_request_per_item(shop: Shop) -> None:
    ada = await shop.customer()
    chat = await shop.chat(ada)
    order, (_shirt, socks, _hat) = await shop.order(ada)
    first = await _request(shop, chat, order, {socks.id: 1})
    with pytest.raises(returns.ItemAlreadyInReturn) as refused:
        await _request(shop, chat, order, {socks.id: 1})
    assert refused.value.item_names == ["Socks"]
    # A declined request frees its items again.
    async with shop.db.transaction() as session:
        await returns.decline(
            session, shop.clock, shop.config, first.id, actor="slack:U1", reason="other"
        )
    again = await _request(shop, chat, order, {socks.id: 3})
    assert again.state == "requested"


async def test_refunded_quantity_is_not_offered_again_but_the_rest_is(shop: Shop) -> None:
    ada = await shop.customer()
    chat = await shop.chat(ada)
    order, (_shirt, socks, _hat) = await shop.order(ada)
    first = await _request(shop, chat, order, {socks.id: 2})
    async with shop.db.transaction() as session:
        for step in (returns.approve, returns.mark_received, returns.mark_refunded):
            await step(session, shop.clock, shop.config, first.id, actor="slack:U1")
    with pytest.raises(returns.InvalidQuantity) as refused:
        await _request(shop, chat, order, {socks.id: 2})
    assert (refused.value.asked, refused.value.available) == (2, 1)
    await _request(shop, chat, order, {socks.id: 1})


@pytest.mark.parametrize("qty", [0, -1, 4])
async def test_quantities_outside_what_was_bought_are_refused(shop: Shop, qty: int) -> None:
    ada = await shop.customer()
    order, (_shirt, socks, _hat) = await shop.order(ada)
    with pytest.raises(returns.InvalidQuantity):
        await _request(shop, await shop.chat(ada), order, {socks.id: qty})
    assert await _count_requests(shop) == 0


async def test_bad_reason_long_comment_and_no_items_are_refused(shop: Shop) -> None:
    ada = await shop.customer()
    chat = await shop.chat(ada)
    order, (shirt, *_rest) = await shop.order(ada)
    with pytest.raises(returns.UnknownReason):
        await _request(shop, chat, order, {shirt.id: 1}, reason="ugly")
    with pytest.raises(returns.TextTooLong):
        await _request(shop, chat, order, {shirt.id: 1}, comment="x" * 1001)
    with pytest.raises(returns.NoItemsChosen):
        await _request(shop, chat, order, {})
    assert await _count_requests(shop) == 0
    assert await shop.outbox() == []


async def test_eligibility_explains_an_order_before_anything_is_chosen(shop: Shop) -> None:
    ada = await shop.customer()
    order, (_shirt, _socks, _hat) = await shop.order(ada)
    async with shop.db.session() as session:
        policy = await returns.eligibility(session, shop.clock, shop.config, order)
    assert policy.refusal is None
    assert [(e.item.name, e.available, e.refusal) for e in policy.items] == [
        ("Blue shirt", 1, None),
        ("Socks", 3, None),
        ("Sale hat", 0, "final_sale"),
    ]
    shop.clock.advance(days=29)
    async with shop.db.session() as session:
        late = await returns.eligibility(session, shop.clock, shop.config, order)
    assert late.refusal == "window_closed"
    assert late.returnable == []


async def test_a_cancelled_order_cannot_be_returned(shop: Shop) -> None:
    ada = await shop.customer()
    order, (shirt, *_rest) = await shop.order(ada, delivered_days_ago=None)
    async with shop.db.transaction() as session:
        stored = await session.get(Order, order.id)
        stored.status = "cancelled"
        session.add(stored)
    with pytest.raises(returns.NotDelivered):
        await _request(shop, await shop.chat(ada), order, {shirt.id: 1})

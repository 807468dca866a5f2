"""Every step from every state: exactly the lifecycle's arrows are allowed, the rest refused."""

from __future__ import annotations

import pytest

from core.returns import requests as returns
from core.storage.models import ReturnRequest
from tests.unit.returns.conftest import Shop

# How to reach each state from a fresh request.
PATHS = {
    "requested": [],
    "approved": ["approve"],
    "declined": ["decline"],
    "received": ["approve", "received"],
    "refunded": ["approve", "received", "refunded"],
    "cancelled": ["cancel"],
}
ALLOWED = {
    ("requested", "approve"): "approved",
    ("requested", "decline"): "declined",
    ("requested", "cancel"): "cancelled",
    ("approved", "received"): "received",
    ("received", "refunded"): "refunded",
}
STEPS = ("approve", "decline", "received", "refunded", "cancel")


async def _do(shop: Shop, step: str, request: ReturnRequest, chat) -> ReturnRequest:
    async with shop.db.transaction() as session:
        args = (session, shop.clock, shop.config, request.id)
        if step == "approve":
            return await returns.approve(*args, actor="slack:U1")
        if step == "decline":
            return await returns.decline(*args, actor="slack:U1", reason="final_sale")
        if step == "received":
            return await returns.mark_received(*args, actor="api:erp")
        if step == "refunded":
            return await returns.mark_refunded(*args, actor="api:erp")
        return await returns.cancel(*args, identity=chat)


@pytest.mark.parametrize("start", list(PATHS))
@pytest.mark.parametrize("step", STEPS)
async def test_step_from_state(shop: Shop, start: str, step: str) -> None:
    ada = await shop.customer()
    chat = await shop.chat(ada)
    order, (shirt, *_rest) = await shop.order(ada)
    async with shop.db.transaction() as session:
        request = await returns.request_return(
            session, shop.clock, shop.config, identity=chat, order_id=order.id,
            items={shirt.id: 1}, reason="too_small",
        )  # fmt: skip
    for earlier in PATHS[start]:
        request = await _do(shop, earlier, request, chat)
    assert request.state == start
    pushes_before = len(await shop.outbox())

    if (start, step) in ALLOWED:
        moved = await _do(shop, step, request, chat)
        assert moved.state == ALLOWED[(start, step)]
        entry = (await shop.audit())[-1]
        assert entry.action == f"return.{moved.state}"
        assert entry.before == {"state": start}  # the audit says what it was, then what it is
        assert entry.after is not None and entry.after["state"] == moved.state
        return
    expected = (
        returns.AlreadyDecided if step in ("approve", "decline", "cancel") else (returns.WrongState)
    )
    with pytest.raises(expected) as refused:
        await _do(shop, step, request, chat)
    assert refused.value.state == start
    assert len(await shop.outbox()) == pushes_before  # a refusal tells nobody anything

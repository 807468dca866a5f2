"""WISMO_SLACK_ROUTES through slack-bolt: each alert lands in its kind's (and carrier's) channel,
is acted on there and updated in place; the rest go to the alerts channel."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from core.returns import requests as returns
from core.runtime.clock import ManualClock
from core.staff import parse_routes, raise_flag
from tests.integration.slack.conftest import ALERTS, Desk
from tests.integration.slack.stand_in import Call
from tests.unit.staff_data import build_shop

DHL_DESK = "C0DHLDESK"
RETURNS = "C0RETURNS"


def _route(desk: Desk, routes: str) -> None:
    """Start-up with WISMO_SLACK_ROUTES set: the core and the Slack desk share the config."""
    config = replace(desk.services.config, slack_routes=parse_routes(routes))
    desk.services.config = config
    desk.services.slack.desk.config = config


def _button(call: Call, label: str) -> dict[str, object]:
    [button] = [b for b in call.buttons() if b["text"]["text"] == label]
    return button


async def test_alerts_follow_their_routes_and_update_where_they_landed(
    desk: Desk, clock: ManualClock
) -> None:
    _route(desk, "stuck:dhl=C0DHLDESK,return=C0RETURNS")
    async with desk.database.transaction() as session:
        shop = await build_shop(session, clock)  # order 1001 ships with DHL
        await raise_flag(
            session,
            clock,
            desk.services.config,
            shop.order_id,
            "stuck",
            shipment_id=shop.shipment.id,
            open_key="stuck:1",
        )
    [(_, ref)] = await desk.deliver_outbox()
    [alert] = desk.api.of("chat.postMessage")
    assert alert.args["channel"] == DHL_DESK and ref.startswith(f"{DHL_DESK}:")
    assert "Flag #1 on order 1001: Stuck" in alert.text

    ts = ref.split(":")[1]
    await desk.click(_button(alert, "Resolve"), channel=DHL_DESK, message_ts=ts)
    [opened] = await desk.api.wait_for("views.open")
    await desk.submit(opened.args["view"], {"note": "DHL found it"})
    [update] = await desk.api.wait_for("chat.update")
    assert (update.args["channel"], update.args["ts"]) == (DHL_DESK, ts)
    assert "Resolved" in update.text and "DHL found it" in update.text

    # A flag of another kind has no route: the alerts channel, as before.
    await desk.command("flag 1001")
    flag_modal = (await desk.api.wait_for("views.open", 2))[1]
    await desk.submit(
        flag_modal.args["view"],
        {"kind": {"value": "damaged"}, "note": "Box crushed", "notify": {"value": "no"}},
    )
    await desk.api.wait_for("chat.postEphemeral")
    clock.advance(minutes=1)
    [(_, damaged_ref)] = await desk.deliver_outbox()
    assert damaged_ref.startswith(f"{ALERTS}:")

    # A return request goes to the returns channel.
    async with desk.database.transaction() as session:
        shop.order.status = "delivered"
        shop.order.delivered_at = clock.now() - timedelta(days=1)
        session.add(shop.order)
        assert shop.item.id is not None
        await returns.request_return(
            session,
            clock,
            desk.services.config,
            identity=shop.shopper,
            order_id=shop.order_id,
            items={shop.item.id: 1},
            reason="too_small",
        )
    clock.advance(minutes=1)
    [(_, return_ref)] = await desk.deliver_outbox()
    assert return_ref.startswith(f"{RETURNS}:")
    card = desk.api.of("chat.postMessage")[-1]
    assert card.args["channel"] == RETURNS
    assert [b["text"]["text"] for b in card.buttons()][:2] == ["Approve", "Decline"]

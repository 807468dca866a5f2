"""A shopper's problem report, refund question, cancellation or address change, answered.

`report(ctx, kind, number)` is what the conversation runs for the intents of
core.conversation.vocabulary.PROBLEM_INTENTS (and for the buttons of the same names): it
verifies the chat first, finds the order (the one named, or the only one it can be about,
or asks which), answers from the order's real data (core.conversation.problem_replies,
core.conversation.refunds) and, where staff should act, raises one flag of that kind with
the evidence — or escalates the open one when the shopper reports the same again
(core.staff.reports). Item problems and address changes then wait for photos (Telegram)
or the shopper's words, which are added to the flag (flow "problem", step "details").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.conversation import vocabulary as v
from core.conversation.flow_context import FlowContext
from core.conversation.intents import TRACK, UNKNOWN, Parsed
from core.conversation.problem_replies import (
    CARRIER_KINDS,
    CHANGE_KINDS,
    ITEM_KINDS,
    Assessment,
    Moment,
    carrier_problem,
    delivered_not_received,
    item_problem,
    order_change,
)
from core.conversation.refunds import ReturnOrder, customer_return_orders, refund_status
from core.conversation.verify_flow import ask_other_customer
from core.replies.reply import Button, Reply, Section
from core.staff.reports import add_to_report, report_is_open, report_to_staff
from core.tracking.lookup import orders_of_customer, with_parcel_statuses
from core.tracking.statuses import OrderStatus, ShipmentStatus
from core.tracking.view_predictions import with_predictions
from core.tracking.views import OrderSummary

FLOW = "problem"
PICK_LIMIT = 6
PHOTO_CHANNELS = frozenset({"telegram"})
_DETAIL_MIN_WORDS = 2
_QUESTION = re.compile(r"\b(?:where|when|what|status|track|how)\b", re.IGNORECASE)


async def report(ctx: FlowContext, kind: str, number: str | None) -> list[Reply]:
    """Answer a report of `kind` about order `number` (or the order it must be about)."""
    if ctx.customer_id is None:
        return await ctx.verify_first(kind, number)
    if not number:
        picked = await _pick_order(ctx, kind)
        if isinstance(picked, list):
            return picked
        number = picked
    if kind == v.REFUND_STATUS:
        view = await ctx.owned_order(number)
        if view is None:
            return await ask_other_customer(ctx, kind, number)
        answer = await refund_status(ctx, view)
        return await _answered(ctx, kind, view.id, view.number, answer)
    view = await ctx.owned_order(number, with_following=True)
    if view is None:
        return await ask_other_customer(ctx, kind, number)
    now = ctx.clock.now()
    view = await with_predictions(ctx.session, view, now=now, timezone=ctx.config.timezone)
    at = Moment(now, ctx.tz, ctx.locale)
    if kind == v.DELIVERED_NOT_RECEIVED:
        answer = delivered_not_received(view, at, ctx.config.not_received_wait)
    elif kind in CARRIER_KINDS:
        answer = carrier_problem(kind, view, at, following=bool(view.following))
    elif kind in ITEM_KINDS:
        photos_here = ctx.inbound.channel in PHOTO_CHANNELS
        message = ctx.inbound.text or ""
        answer = item_problem(kind, view, at, message=message, photos_here=photos_here)
    elif kind in CHANGE_KINDS:
        answer = order_change(kind, view, at)
    else:
        raise ValueError(f"not a problem kind: {kind!r}")
    return await _answered(ctx, kind, view.id, view.number, answer)


async def _answered(
    ctx: FlowContext, kind: str, order_id: int, number: str, answer: Assessment
) -> list[Reply]:
    paragraphs = list(answer.paragraphs)
    if answer.for_staff:
        assert ctx.identity.id is not None
        filed = await report_to_staff(
            ctx.session,
            ctx.clock,
            ctx.config,
            order_id,
            kind,
            facts=answer.facts,
            reporter=f"{ctx.identity.channel}:{ctx.identity.id}",
            shipment_id=answer.shipment_id,
            case_opens_at=answer.case_opens_at,
        )
        # Order changes and a case held for the shop's wait say who does what themselves.
        if kind not in CHANGE_KINDS and answer.case_opens_at is None:
            paragraphs.append(ctx.t("problem.told_team"))
        if filed.already_known:
            paragraphs.append(ctx.t("problem.already_known"))
        elif filed.escalated:
            paragraphs.append(ctx.t("problem.escalated"))
        assert filed.flag.id is not None
        for photo in ctx.inbound.photos:  # a photo sent with the report as its caption
            await add_to_report(ctx.session, ctx.clock, ctx.config, filed.flag.id, photo=photo)
        if answer.wants_details:
            await ctx.set_state(FLOW, "details", {"flag_id": filed.flag.id, "kind": kind})
        else:
            await ctx.clear_state()
    return [
        Reply(
            sections=[Section(text=p) for p in paragraphs],
            buttons=answer.buttons,
            intent=kind,
            order_number=number,
        )
    ]


async def continue_report(ctx: FlowContext, parsed: Parsed) -> list[Reply] | None:
    """Photos or the shopper's words for the report in progress; None: not for the report."""
    assert ctx.state is not None
    flag_id = int(ctx.state.data.get("flag_id", 0))
    kind = str(ctx.state.data.get("kind", ""))
    if not await report_is_open(ctx.session, flag_id):
        return None  # staff resolved it meanwhile: the message starts afresh
    if ctx.inbound.photos:
        count = 0
        for photo in ctx.inbound.photos:
            count = await add_to_report(ctx.session, ctx.clock, ctx.config, flag_id, photo=photo)
        caption = (ctx.inbound.text or "").strip()
        if caption and await _about_the_report(ctx, kind, parsed):
            await add_to_report(ctx.session, ctx.clock, ctx.config, flag_id, detail=caption)
        return [Reply.text(ctx.t("problem.photo_added", count=count), intent=kind)]
    words = (ctx.inbound.text or "").split()
    if len(words) >= _DETAIL_MIN_WORDS and await _about_the_report(ctx, kind, parsed):
        detail = " ".join(words)
        await add_to_report(ctx.session, ctx.clock, ctx.config, flag_id, detail=detail)
        return [Reply.text(ctx.t("problem.details_added"), intent=kind)]
    return None


async def _about_the_report(ctx: FlowContext, kind: str, parsed: Parsed) -> bool:
    """Is this message more words for the report, rather than a new question?

    A number of one of the shopper's own orders starts something new; any other number is
    part of what they describe ("Hauptstrasse 5, 10115 Berlin"). A question is a question.
    """
    if parsed.order_number and await ctx.owned_order(parsed.order_number):
        return False
    if parsed.intent == UNKNOWN:
        return True
    raw = ctx.inbound.text or ""
    if kind == v.CHANGE_ADDRESS and parsed.intent in (TRACK, v.CHANGE_ADDRESS):
        return "?" not in raw
    return parsed.intent == TRACK and "?" not in raw and not _QUESTION.search(raw)


def photo_without_report(ctx: FlowContext) -> Reply:
    """A photo arrived with nothing to add it to: say how to report first."""
    return Reply.text(ctx.t("problem.photo_without_report"), intent="unknown")


async def _pick_order(ctx: FlowContext, kind: str) -> str | list[Reply]:
    """The order a report without a number is about, or the question which one."""
    assert ctx.customer_id is not None
    candidates: Sequence[ReturnOrder | OrderSummary]
    if kind == v.REFUND_STATUS:
        candidates = await customer_return_orders(ctx.session, ctx.customer_id, PICK_LIMIT)
        if not candidates:
            return [
                Reply.text(
                    ctx.t("problem.refund.none_any"),
                    intent=kind,
                    buttons=[Button(ctx.t("button.return"), "return", "")],
                )
            ]
    else:
        orders = await orders_of_customer(ctx.session, ctx.customer_id, limit=PICK_LIMIT * 2)
        orders = await with_parcel_statuses(ctx.session, orders)
        candidates = [o for o in orders if _fits(kind, o)][:PICK_LIMIT] or orders[:1]
    if not candidates:
        return [Reply.text(ctx.t("problem.no_orders"), intent=kind)]
    if len(candidates) == 1:
        return candidates[0].number
    buttons = [Button(ctx.t("button.track", number=o.number), kind, o.number) for o in candidates]
    return [Reply.text(ctx.t("problem.pick"), intent=kind, buttons=buttons)]


def _fits(kind: str, order: OrderSummary) -> bool:
    """Could this order be the one the report is about?"""
    delivered = order.status == OrderStatus.DELIVERED or (
        ShipmentStatus.DELIVERED in order.parcel_statuses
    )
    if kind in ITEM_KINDS or kind == v.DELIVERED_NOT_RECEIVED:
        return delivered and order.status not in (OrderStatus.RETURNED, OrderStatus.CANCELLED)
    if kind in CHANGE_KINDS:
        return order.status in (OrderStatus.PLACED, OrderStatus.PROCESSING)
    # Carrier problems: a parcel still on its way.
    return order.status in (OrderStatus.SHIPPED, OrderStatus.PARTIALLY_SHIPPED) and any(
        s != ShipmentStatus.DELIVERED for s in order.parcel_statuses
    )

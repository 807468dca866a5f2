"""The verification dialogue: order number, then e-mail or postcode; or a deep-link token.

State lives in ConversationState (flow "verify", step "number" or "secret", data: the
order number so far and the action to run once verified), so any replica can take the
next message. Failure replies never mention the order: a wrong pair and an order that
does not exist read the same, byte for byte.
"""

from __future__ import annotations

import math
from datetime import timedelta

from core.conversation.flow_context import FlowContext
from core.conversation.identity import (
    Outcome,
    locked_for,
    verify_by_order_and_secret,
    verify_by_token,
)
from core.conversation.intents import CANCEL, TRACK, UNKNOWN, Parsed, secret_in
from core.conversation.vocabulary import PROBLEM_INTENTS
from core.replies.reply import Button, Reply

FLOW = "verify"


def _cancel_button(ctx: FlowContext) -> list[Button]:
    return [Button(ctx.t("button.cancel"), "cancel")]


async def ask_for_proof(ctx: FlowContext, then: str, number: str | None) -> list[Reply]:
    """Start verification; `then` (an action such as "track") runs with `number` afterwards.

    A chat over its attempt limit hears "try again later" straight away rather than being
    asked for a proof it may not give. Other chats' failures never refuse it here.
    """
    retry = await locked_for(ctx.session, ctx.clock, ctx.config, ctx.identity)
    if retry is not None:
        await ctx.clear_state()
        return [_locked(ctx, retry)]
    if number:
        await ctx.set_state(FLOW, "secret", {"then": then, "number": number})
        return [
            Reply.text(
                ctx.t("verify.ask_secret", number=number),
                intent="verify",
                order_number=number,
                buttons=_cancel_button(ctx),
            )
        ]
    await ctx.set_state(FLOW, "number", {"then": then})
    return [
        Reply.text(ctx.t("verify.ask_order_number"), intent="verify", buttons=_cancel_button(ctx))
    ]


async def ask_other_customer(ctx: FlowContext, then: str, number: str) -> list[Reply]:
    """A verified chat asked for an order that is not its customer's (or does not exist)."""
    await ctx.set_state(FLOW, "secret", {"then": then, "number": number})
    return [
        Reply.text(
            ctx.t("verify.other_customer", number=number),
            intent=_intent_of(then),
            order_number=number,
            buttons=_cancel_button(ctx),
        )
    ]


async def continue_verification(ctx: FlowContext, parsed: Parsed) -> list[Reply] | None:
    """Take the shopper's answer; None when the message is about something else."""
    assert ctx.state is not None
    data = ctx.state.data
    then = str(data.get("then", "track"))
    if parsed.intent == CANCEL:
        await ctx.clear_state()
        return [Reply.text(ctx.t("cancelled"), intent="cancel")]
    raw = ctx.inbound.text or ""
    if ctx.state.step == "number":
        if parsed.order_number and parsed.intent in (TRACK, UNKNOWN):
            if parsed.email:
                return await _attempt(ctx, then, parsed.order_number, parsed.email)
            return await ask_for_proof(ctx, then, parsed.order_number)
        if parsed.intent != UNKNOWN:
            return None
        return [
            Reply.text(
                ctx.t("verify.need_order_number"), intent="verify", buttons=_cancel_button(ctx)
            )
        ]
    number = str(data.get("number", ""))
    if parsed.order_number and not parsed.email and await ctx.owned_order(parsed.order_number):
        return None  # a verified chat moved on to one of its own orders: not a postcode
    if parsed.explicit_number and parsed.order_number and not parsed.email:
        return await ask_for_proof(ctx, then, parsed.order_number)
    if parsed.email:
        if parsed.explicit_number and parsed.order_number:
            number = parsed.order_number
        return await _attempt(ctx, then, number, parsed.email)
    secret = secret_in(raw, ctx.locale)
    if secret and parsed.intent in (TRACK, UNKNOWN):
        return await _attempt(ctx, then, number, secret)
    if parsed.intent != UNKNOWN:
        return None
    return [
        Reply.text(
            ctx.t("verify.ask_secret_again", number=number),
            intent="verify",
            order_number=number,
            buttons=_cancel_button(ctx),
        )
    ]


async def verify_now(ctx: FlowContext, then: str, number: str, secret: str) -> list[Reply]:
    """Check order number + e-mail/postcode given in one message; run `then` when it matches."""
    return await _attempt(ctx, then, number, secret)


async def _attempt(ctx: FlowContext, then: str, number: str, secret: str) -> list[Reply]:
    result = await verify_by_order_and_secret(
        ctx.session, ctx.clock, ctx.config, ctx.identity, number, secret
    )
    if result.ok:
        await ctx.clear_state()
        welcome = Reply.text(ctx.t("verify.ok"), intent="verify", order_number=result.order_number)
        return [welcome, *await ctx.run_action(then, result.order_number or number)]
    if result.outcome is Outcome.LOCKED:
        await ctx.clear_state()
        return [_locked(ctx, result.retry_after)]
    if result.outcome is Outcome.POSTCODE_LOCKED:
        # The e-mail address (or a deep link) still proves it: stay on this order number.
        await ctx.set_state(FLOW, "secret", {"then": then, "number": number})
        return [
            Reply.text(
                ctx.t(
                    "verify.postcode_locked",
                    number=number,
                    minutes=minutes_until(result.retry_after),
                ),
                intent="verify",
                order_number=number,
                buttons=_cancel_button(ctx),
            )
        ]
    # Ask for the number again: the reply is the same whether or not the order exists.
    await ctx.set_state(FLOW, "number", {"then": then})
    return [Reply.text(ctx.t("verify.failed"), intent="verify", buttons=_cancel_button(ctx))]


def _locked(ctx: FlowContext, retry_after: timedelta | None) -> Reply:
    return Reply.text(ctx.t("verify.locked", minutes=minutes_until(retry_after)), intent="verify")


async def link_with_token(ctx: FlowContext, token: str) -> list[Reply]:
    """`/start <token>`: verify with a deep-link token and show the order it opens."""
    result = await verify_by_token(ctx.session, ctx.clock, ctx.config, ctx.identity, token)
    if result.ok:
        await ctx.clear_state()
        welcome = Reply.text(ctx.t("verify.ok"), intent="link", order_number=result.order_number)
        return [welcome, *await ctx.run_action("track", result.order_number or "")]
    if result.outcome is Outcome.LOCKED:
        return [_locked(ctx, result.retry_after)]
    key = {
        Outcome.EXPIRED: "link.expired",
        Outcome.USED: "link.used",
    }.get(result.outcome, "link.invalid")
    return [Reply.text(ctx.t(key), intent="link")]


def _intent_of(action: str) -> str:
    return {
        "track": "track_order",
        "refresh": "track_order",
        "orders": "list_orders",
        "follow": "follow",
        "unfollow": "unfollow",
        "return": "start_return",
        "human": "human",
    }.get(action, action if action in PROBLEM_INTENTS else "verify")


def minutes_until(delta: timedelta | None) -> int:
    """Whole minutes, rounded up, at least 1."""
    if delta is None:
        return 1
    return max(1, math.ceil(delta.total_seconds() / 60))

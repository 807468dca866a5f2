"""The shopper's return conversation: order → items (and quantities) → reason → comment → confirm.

`core.conversation.service` calls `start` for the `return` action or the start_return intent,
`on_action` for every `ret_*` button, and `on_text` for free text while the chat is in this
flow. The chat's place is a `ConversationState` row (flow "return"), so any replica can take
the next message. Every button payload is checked against the state and the database: an
item of another order, a made-up quantity or a stale button is refused, never trusted.
Before the shopper chooses anything, an order outside the window or with only final-sale
items is explained in plain words.

Steps: `items` (data: order_id, number, items {item id: qty}) → `reason` → `comment` →
`confirm`.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.conversation.flow_context import FlowContext
from core.conversation.flows import return_screens as screens
from core.replies import messages
from core.replies.reply import Inbound, Reply
from core.returns import requests as returns
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.storage import conversation_state as flow_state
from core.storage.models import ChannelIdentity, ConversationState, Order, OrderItem

FLOW = "return"
ACTIONS = frozenset(
    {
        "return",
        "ret_order",
        "ret_item",
        "ret_qty",
        "ret_next",
        "ret_reason",
        "ret_skip",
        "ret_confirm",
        "ret_cancel",
        "ret_withdraw",
    }
)
MAX_ORDERS_OFFERED = 8
_STOP_WORDS = frozenset({"cancel", "stop", "quit", "exit", "abort", "never mind", "nevermind"})
_DELIVERED_STATUSES = ("delivered", "return_requested", "returned")


def handles(action: str | None) -> bool:
    """True for the actions this flow answers."""
    return action in ACTIONS


class ReturnFlow:
    """The return conversation as a `Flow` (core.conversation.flow_context)."""

    name = FLOW
    action_prefix = "ret_"
    needs_verification = True  # the conversation verifies the chat before `start`

    async def start(self, ctx: FlowContext, payload: str) -> list[Reply]:
        """ "Return an item" (button or words); an unverified chat proves the order first."""
        if ctx.customer_id is None:
            return await ctx.verify_first("return", payload.strip() or None)
        return await start(ctx.session, ctx.clock, ctx.config, ctx.identity, payload)

    async def step(self, ctx: FlowContext, inbound: Inbound) -> list[Reply] | None:
        """A `ret_*` button, or text while the chat is in the flow."""
        if inbound.action:
            return await on_action(
                ctx.session, ctx.clock, ctx.config, ctx.identity, inbound.action, inbound.payload
            )
        return await on_text(ctx.session, ctx.clock, ctx.config, ctx.identity, inbound.text or "")


def _zone(identity: ChannelIdentity, config: CoreConfig) -> ZoneInfo:
    for name in (identity.timezone, config.timezone, "UTC"):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


async def start(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    identity: ChannelIdentity,
    order_number: str = "",
) -> list[Reply]:
    """Begin a return, for `order_number` when given, else for the order the shopper picks."""
    locale = identity.locale
    assert identity.id is not None
    await flow_state.clear(session, identity.id, FLOW)
    if identity.customer_id is None or identity.verified_at is None:
        return [screens.text(messages.text("return.need_verify", locale), locale=locale)]
    if config.return_window.total_seconds() <= 0:
        return [screens.text(messages.text("return.disabled", locale), human=True, locale=locale)]
    number = order_number.strip().lstrip("#")
    if number:
        order = await _own_order(session, identity, number=number)
        if order is None:
            return [
                # The number as typed, so the reply says what it is about (not whether it exists).
                screens.text(
                    messages.text("return.not_yours", locale, number=number),
                    locale=locale,
                    number=number,
                )
            ]
        return await _open_order(session, clock, config, identity, order)
    orders = list(
        (
            await session.exec(
                select(Order)
                .where(Order.customer_id == identity.customer_id)
                .order_by(col(Order.placed_at).desc(), col(Order.id).desc())
                .limit(MAX_ORDERS_OFFERED)
            )
        ).all()
    )
    if not orders:
        return [screens.text(messages.text("return.no_orders", locale), locale=locale)]
    arrived = [o for o in orders if o.delivered_at is not None or o.status in _DELIVERED_STATUSES]
    if len(orders) == 1:
        return await _open_order(session, clock, config, identity, orders[0])
    if not arrived:
        return [
            screens.text(
                messages.text("return.none_delivered", locale, days=config.return_window.days),
                locale=locale,
            )
        ]
    if len(arrived) == 1:
        return await _open_order(session, clock, config, identity, arrived[0])
    return [screens.order_picker(arrived, locale=locale)]


async def on_action(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    identity: ChannelIdentity,
    action: str,
    payload: str,
) -> list[Reply]:
    """Answer one `return` / `ret_*` button press."""
    locale = identity.locale
    assert identity.id is not None
    if action == "return":
        return await start(session, clock, config, identity, payload)
    if action == "ret_withdraw":
        return await _withdraw(session, clock, config, identity, payload)
    if action == "ret_order":
        return await start(session, clock, config, identity, payload) if payload else []
    current = await flow_state.load(session, identity.id, FLOW)
    if current is None:
        return [screens.text(messages.text("return.stale", locale), locale=locale)]
    if action == "ret_cancel":
        await flow_state.clear(session, identity.id, FLOW)
        return [screens.text(messages.text("return.stopped", locale), locale=locale)]
    order = await _own_order(session, identity, order_id=int(current.data["order_id"]))
    if order is None:  # the order changed hands since the flow began: start over
        await flow_state.clear(session, identity.id, FLOW)
        return [screens.text(messages.text("return.stale", locale), locale=locale)]
    if action in ("ret_item", "ret_qty", "ret_next"):
        return await _items_step(session, clock, config, identity, current, order, action, payload)
    if action == "ret_reason" and current.step in ("reason", "comment", "confirm"):
        if payload not in returns.REASONS:
            return [screens.reason_picker(order.number, len(current.data["items"]), locale=locale)]
        data = {**current.data, "reason": payload}
        await flow_state.save(session, clock, identity.id, FLOW, "comment", data)
        return [screens.comment_prompt(order.number, locale=locale)]
    if action == "ret_skip" and current.step == "comment":
        return await _confirm_screen(session, clock, identity, current, order, comment="")
    if action == "ret_confirm" and current.step == "confirm":
        return await _submit(session, clock, config, identity, current, order)
    return [screens.text(messages.text("return.stale", locale), locale=locale)]


async def on_text(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    identity: ChannelIdentity,
    text: str,
) -> list[Reply] | None:
    """Free text while in the flow: the comment, or "cancel"; None lets the conversation answer."""
    locale = identity.locale
    assert identity.id is not None
    current = await flow_state.load(session, identity.id, FLOW)
    if current is None:
        return None
    words = text.strip()
    if words.lower().rstrip(".!") in _STOP_WORDS:
        await flow_state.clear(session, identity.id, FLOW)
        return [screens.text(messages.text("return.stopped", locale), locale=locale)]
    if current.step != "comment":
        return None
    order = await _own_order(session, identity, order_id=int(current.data["order_id"]))
    if order is None:
        await flow_state.clear(session, identity.id, FLOW)
        return [screens.text(messages.text("return.stale", locale), locale=locale)]
    if len(words) > returns.COMMENT_LIMIT:
        note = messages.text("return.comment_too_long", locale, limit=returns.COMMENT_LIMIT)
        return [screens.comment_prompt(order.number, note, locale=locale)]
    return await _confirm_screen(session, clock, identity, current, order, comment=words)


async def _own_order(
    session: AsyncSession,
    identity: ChannelIdentity,
    *,
    number: str | None = None,
    order_id: int | None = None,
) -> Order | None:
    statement = select(Order).where(Order.customer_id == identity.customer_id)
    if number is not None:
        statement = statement.where(Order.number == number)
    else:
        statement = statement.where(Order.id == order_id)
    return (await session.exec(statement)).first()


async def _open_order(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    identity: ChannelIdentity,
    order: Order,
) -> list[Reply]:
    locale = identity.locale
    assert identity.id is not None
    policy = await returns.eligibility(session, clock, config, order)
    tz = _zone(identity, config)
    if policy.refusal is not None:
        return [screens.refusal(policy, config, tz, locale=locale)]
    data: dict[str, object] = {"order_id": order.id, "number": order.number, "items": {}}
    await flow_state.save(session, clock, identity.id, FLOW, "items", data)
    return [screens.item_picker(policy, {}, tz, locale=locale)]


async def _items_step(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    identity: ChannelIdentity,
    current: ConversationState,
    order: Order,
    action: str,
    payload: str,
) -> list[Reply]:
    locale = identity.locale
    assert identity.id is not None
    policy = await returns.eligibility(session, clock, config, order)
    tz = _zone(identity, config)
    if policy.refusal is not None:
        await flow_state.clear(session, identity.id, FLOW)
        return [screens.refusal(policy, config, tz, locale=locale)]
    available = {e.item.id: e.available for e in policy.returnable}
    chosen = {int(k): int(v) for k, v in current.data.get("items", {}).items()}
    chosen = {k: v for k, v in chosen.items() if k in available}  # drop what became unavailable
    note: str | None = None
    if action == "ret_next":
        if not chosen:
            return [
                screens.item_picker(
                    policy,
                    chosen,
                    tz,
                    messages.text("return.pick_items.none", locale),
                    locale=locale,
                )
            ]
        data = {**current.data, "items": {str(k): v for k, v in chosen.items()}}
        await flow_state.save(session, clock, identity.id, FLOW, "reason", data)
        return [screens.reason_picker(order.number, len(chosen), locale=locale)]
    item_text, _, qty_text = payload.partition(":")
    item_id = int(item_text) if item_text.isdigit() else -1
    if item_id not in available:
        note = _why_not(policy, item_id, locale) or messages.text(
            "return.bad_item", locale, number=order.number
        )
    elif action == "ret_item":
        if item_id in chosen:
            del chosen[item_id]
        else:
            chosen[item_id] = 1
    elif qty_text.isdigit() and item_id in chosen and 1 <= int(qty_text) <= available[item_id]:
        chosen[item_id] = int(qty_text)
    else:
        note = messages.text("return.bad_item", locale, number=order.number)
    data = {**current.data, "items": {str(k): v for k, v in chosen.items()}}
    await flow_state.save(session, clock, identity.id, FLOW, "items", data)
    return [screens.item_picker(policy, chosen, tz, note, locale=locale)]


def _why_not(policy: returns.OrderEligibility, item_id: int, locale: str | None) -> str | None:
    """The plain reason an item of this order cannot be chosen (None: not in the order)."""
    for entry in policy.items:
        if entry.item.id == item_id and entry.refusal:
            return messages.text(f"return.item.{entry.refusal}", locale, name=entry.item.name)
    return None


async def _lines(session: AsyncSession, chosen: dict[str, int]) -> list[tuple[str, int]]:
    ids = [int(k) for k in chosen]
    items = (
        await session.exec(
            select(OrderItem).where(col(OrderItem.id).in_(ids)).order_by(col(OrderItem.id))
        )
    ).all()
    return [(item.name, chosen[str(item.id)]) for item in items]


async def _confirm_screen(
    session: AsyncSession,
    clock: Clock,
    identity: ChannelIdentity,
    current: ConversationState,
    order: Order,
    *,
    comment: str,
) -> list[Reply]:
    locale = identity.locale
    assert identity.id is not None
    data = {**current.data, "comment": comment}
    await flow_state.save(session, clock, identity.id, FLOW, "confirm", data)
    lines = await _lines(session, data["items"])
    return [screens.confirmation(order.number, lines, data["reason"], comment, locale=locale)]


async def _submit(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    identity: ChannelIdentity,
    current: ConversationState,
    order: Order,
) -> list[Reply]:
    locale = identity.locale
    assert identity.id is not None and order.id is not None
    data = current.data
    await flow_state.clear(session, identity.id, FLOW)
    try:
        request = await returns.request_return(
            session,
            clock,
            config,
            identity=identity,
            order_id=order.id,
            items={int(k): int(v) for k, v in data["items"].items()},
            reason=data["reason"],
            comment=data.get("comment", ""),
        )
    except returns.ReturnError as refused:
        # Something moved since the shopper chose (the window closed, an item went into
        # another request): explain what the policy says now.
        policy = await returns.eligibility(session, clock, config, order)
        if policy.refusal is not None:
            return [screens.refusal(policy, config, _zone(identity, config), locale=locale)]
        return [
            screens.text(
                messages.text("return.changed", locale, why=_plain(refused, locale)),
                number=order.number,
                locale=locale,
            )
        ]
    return [screens.sent(request, order.number, locale=locale)]


def _plain(error: returns.ReturnError, locale: str | None) -> str:
    if isinstance(error, returns.NotReturnable):
        return " ".join(
            messages.text("return.item.final_sale", locale, name=n) for n in error.item_names
        )
    if isinstance(error, returns.ItemAlreadyInReturn):
        return " ".join(
            messages.text("return.item.in_return", locale, name=n) for n in error.item_names
        )
    if isinstance(error, returns.InvalidQuantity):
        return messages.text(
            "return.item.only_available", locale, available=error.available, name=error.item_name
        )
    return messages.text("return.stale", locale)


async def _withdraw(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    identity: ChannelIdentity,
    payload: str,
) -> list[Reply]:
    locale = identity.locale
    if not payload.isdigit():
        return [screens.text(messages.text("return.stale", locale), locale=locale)]
    try:
        request = await returns.cancel(session, clock, config, int(payload), identity=identity)
    except (returns.ReturnNotFound, returns.NotYourOrder):
        return [screens.text(messages.text("return.stale", locale), locale=locale)]
    except returns.WrongState as late:
        if late.state == "cancelled":  # a second tap on the same button
            request = await returns.get_return(session, int(payload))
            return _withdrawn(await session.get(Order, request.order_id), locale)
        label = f"return_state.{late.state}"
        state = messages.text(label, locale) if label in messages.EN else late.state
        return [
            screens.text(
                messages.text("return.too_late_to_withdraw", locale, state=state),
                human=True,
                locale=locale,
            )
        ]
    return _withdrawn(await session.get(Order, request.order_id), locale)


def _withdrawn(order: Order | None, locale: str | None) -> list[Reply]:
    number = order.number if order else ""
    return [
        screens.text(
            messages.text("return.withdrawn", locale, number=number), number=number, locale=locale
        )
    ]

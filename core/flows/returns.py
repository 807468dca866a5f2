"""The shopper's return conversation: order → items (and quantities) → reason → comment → confirm.

`core.conversation` calls `start` for the `return` action or the start_return intent,
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

from core import returns
from core.clock import Clock
from core.config import CoreConfig
from core.flow_context import FlowContext
from core.flows import return_screens as screens
from core.flows import state as flow_state
from core.flows.return_texts import say
from core.models import ChannelIdentity, ConversationState, Order, OrderItem
from core.replies import Inbound, Reply

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
    """The return conversation as a `core.flow_context.Flow` for `core.conversation`."""

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
    assert identity.id is not None
    await flow_state.clear(session, identity.id, FLOW)
    if identity.customer_id is None or identity.verified_at is None:
        return [screens.text(say("need_verify"))]
    if config.return_window.total_seconds() <= 0:
        return [screens.text(say("disabled"), human=True)]
    number = order_number.strip().lstrip("#")
    if number:
        order = await _own_order(session, identity, number=number)
        if order is None:
            return [screens.text(say("not_yours", number=number))]
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
        return [screens.text(say("no_orders"))]
    arrived = [o for o in orders if o.delivered_at is not None or o.status in _DELIVERED_STATUSES]
    if len(orders) == 1:
        return await _open_order(session, clock, config, identity, orders[0])
    if not arrived:
        return [screens.text(say("none_delivered", days=config.return_window.days))]
    if len(arrived) == 1:
        return await _open_order(session, clock, config, identity, arrived[0])
    return [screens.order_picker(arrived)]


async def on_action(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    identity: ChannelIdentity,
    action: str,
    payload: str,
) -> list[Reply]:
    """Answer one `return` / `ret_*` button press."""
    assert identity.id is not None
    if action == "return":
        return await start(session, clock, config, identity, payload)
    if action == "ret_withdraw":
        return await _withdraw(session, clock, config, identity, payload)
    if action == "ret_order":
        return await start(session, clock, config, identity, payload) if payload else []
    current = await flow_state.load(session, identity.id, FLOW)
    if current is None:
        return [screens.text(say("stale"))]
    if action == "ret_cancel":
        await flow_state.clear(session, identity.id, FLOW)
        return [screens.text(say("stopped"))]
    order = await _own_order(session, identity, order_id=int(current.data["order_id"]))
    if order is None:  # the order changed hands since the flow began: start over
        await flow_state.clear(session, identity.id, FLOW)
        return [screens.text(say("stale"))]
    if action in ("ret_item", "ret_qty", "ret_next"):
        return await _items_step(session, clock, config, identity, current, order, action, payload)
    if action == "ret_reason" and current.step in ("reason", "comment", "confirm"):
        if payload not in returns.REASONS:
            return [screens.reason_picker(order.number, len(current.data["items"]))]
        data = {**current.data, "reason": payload}
        await flow_state.save(session, clock, identity.id, FLOW, "comment", data)
        return [screens.comment_prompt(order.number)]
    if action == "ret_skip" and current.step == "comment":
        return await _confirm_screen(session, clock, identity, current, order, comment="")
    if action == "ret_confirm" and current.step == "confirm":
        return await _submit(session, clock, config, identity, current, order)
    return [screens.text(say("stale"))]


async def on_text(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    identity: ChannelIdentity,
    text: str,
) -> list[Reply] | None:
    """Free text while in the flow: the comment, or "cancel"; None lets the conversation answer."""
    assert identity.id is not None
    current = await flow_state.load(session, identity.id, FLOW)
    if current is None:
        return None
    words = text.strip()
    if words.lower().rstrip(".!") in _STOP_WORDS:
        await flow_state.clear(session, identity.id, FLOW)
        return [screens.text(say("stopped"))]
    if current.step != "comment":
        return None
    order = await _own_order(session, identity, order_id=int(current.data["order_id"]))
    if order is None:
        await flow_state.clear(session, identity.id, FLOW)
        return [screens.text(say("stale"))]
    if len(words) > returns.COMMENT_LIMIT:
        note = say("comment_too_long", limit=returns.COMMENT_LIMIT)
        return [screens.comment_prompt(order.number, note)]
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
    assert identity.id is not None
    policy = await returns.eligibility(session, clock, config, order)
    tz = _zone(identity, config)
    if policy.refusal is not None:
        return [screens.refusal(policy, config, tz)]
    data: dict[str, object] = {"order_id": order.id, "number": order.number, "items": {}}
    await flow_state.save(session, clock, identity.id, FLOW, "items", data)
    return [screens.item_picker(policy, {}, tz)]


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
    assert identity.id is not None
    policy = await returns.eligibility(session, clock, config, order)
    tz = _zone(identity, config)
    if policy.refusal is not None:
        await flow_state.clear(session, identity.id, FLOW)
        return [screens.refusal(policy, config, tz)]
    available = {e.item.id: e.available for e in policy.returnable}
    chosen = {int(k): int(v) for k, v in current.data.get("items", {}).items()}
    chosen = {k: v for k, v in chosen.items() if k in available}  # drop what became unavailable
    note: str | None = None
    if action == "ret_next":
        if not chosen:
            return [screens.item_picker(policy, chosen, tz, say("pick_items.none"))]
        data = {**current.data, "items": {str(k): v for k, v in chosen.items()}}
        await flow_state.save(session, clock, identity.id, FLOW, "reason", data)
        return [screens.reason_picker(order.number, len(chosen))]
    item_text, _, qty_text = payload.partition(":")
    item_id = int(item_text) if item_text.isdigit() else -1
    if item_id not in available:
        note = _why_not(policy, item_id) or say("bad_item", number=order.number)
    elif action == "ret_item":
        if item_id in chosen:
            del chosen[item_id]
        else:
            chosen[item_id] = 1
    elif qty_text.isdigit() and item_id in chosen and 1 <= int(qty_text) <= available[item_id]:
        chosen[item_id] = int(qty_text)
    else:
        note = say("bad_item", number=order.number)
    data = {**current.data, "items": {str(k): v for k, v in chosen.items()}}
    await flow_state.save(session, clock, identity.id, FLOW, "items", data)
    return [screens.item_picker(policy, chosen, tz, note)]


def _why_not(policy: returns.OrderEligibility, item_id: int) -> str | None:
    """The plain reason an item of this order cannot be chosen (None: not in the order)."""
    for entry in policy.items:
        if entry.item.id == item_id and entry.refusal:
            return say(f"item.{entry.refusal}", name=entry.item.name)
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
    assert identity.id is not None
    data = {**current.data, "comment": comment}
    await flow_state.save(session, clock, identity.id, FLOW, "confirm", data)
    lines = await _lines(session, data["items"])
    return [screens.confirmation(order.number, lines, data["reason"], comment)]


async def _submit(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    identity: ChannelIdentity,
    current: ConversationState,
    order: Order,
) -> list[Reply]:
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
            return [screens.refusal(policy, config, _zone(identity, config))]
        return [screens.text(say("changed", why=_plain(refused)), number=order.number)]
    return [screens.sent(request, order.number)]


def _plain(error: returns.ReturnError) -> str:
    if isinstance(error, returns.NotReturnable):
        return " ".join(say("item.final_sale", name=n) for n in error.item_names)
    if isinstance(error, returns.ItemAlreadyInReturn):
        return " ".join(say("item.in_return", name=n) for n in error.item_names)
    if isinstance(error, returns.InvalidQuantity):
        return f"only {error.available} × {error.item_name} can still be returned."
    return say("stale")


async def _withdraw(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    identity: ChannelIdentity,
    payload: str,
) -> list[Reply]:
    if not payload.isdigit():
        return [screens.text(say("stale"))]
    try:
        request = await returns.cancel(session, clock, config, int(payload), identity=identity)
    except (returns.ReturnNotFound, returns.NotYourOrder):
        return [screens.text(say("stale"))]
    except returns.WrongState as late:
        if late.state == "cancelled":  # a second tap on the same button
            request = await returns.get_return(session, int(payload))
            return _withdrawn(await session.get(Order, request.order_id))
        return [screens.text(say("too_late_to_withdraw", state=late.state), human=True)]
    return _withdrawn(await session.get(Order, request.order_id))


def _withdrawn(order: Order | None) -> list[Reply]:
    number = order.number if order else ""
    return [screens.text(say("withdrawn", number=number), number=number)]

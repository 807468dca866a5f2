"""Multi-step conversations (returns, talking to a person) plug in here.

A flow is an object with a `name` (stored in ConversationState.flow while it waits for
the shopper), an `action_prefix` (the button actions it owns, e.g. "ret_"),
optionally `needs_verification = True` (the conversation verifies the chat before
`start`; a flow may instead call `ctx.verify_first` itself), and

- `async start(ctx, payload) -> list[Reply]`: the shopper asked for it (intent or button;
  `payload` is an order number or "");
- `async step(ctx, inbound) -> list[Reply] | None`: the next message or button while the
  flow's state is current, or a button with its prefix. Return None to say "not mine":
  the conversation then clears the state and handles the message as usual.

The conversation looks flows up by the names "return" and "human". Until the returns and
hand-off flows are registered (`Conversation(..., flows=...)` or
`core.conversation.flows.default_flows`), the
fallback tells the shopper how to reach the shop — never that someone was told.
`ModuleFlow` adapts a module of plain functions (`start`, `on_action`, `on_text`, as
core.conversation.flows.returns has) to this interface.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from core.replies.messages import text
from core.replies.reply import Button, Inbound, Reply
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.storage.models import ChannelIdentity, ConversationState
from core.tracking.lookup import order_view_for_customer
from core.tracking.views import OrderView


@dataclass
class FlowContext:
    """Everything a step needs: the open transaction, who is talking, and their state."""

    session: AsyncSession
    clock: Clock
    config: CoreConfig
    identity: ChannelIdentity
    inbound: Inbound
    tz: ZoneInfo
    state: ConversationState | None
    # Runs a conversation action ("track", "orders", ...) as if its button was pressed.
    run_action: Callable[[str, str], Awaitable[list[Reply]]]
    # The verification dialogue (core.conversation.verify_flow.ask_for_proof), handed in by
    # the conversation so that flows need not import the dialogue that imports them.
    ask_for_proof: Callable[[FlowContext, str, str | None], Awaitable[list[Reply]]]
    answered_by_bot: bool = True  # set False when a person will answer (InboundLog)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def locale(self) -> str | None:
        """The shopper's language tag as their app reports it (None: unknown)."""
        return self.identity.locale

    @property
    def customer_id(self) -> int | None:
        """The verified customer behind this chat, or None."""
        return self.identity.customer_id if self.identity.verified_at is not None else None

    def t(self, key: str, /, **values: object) -> str:
        """Catalogue wording in this shopper's language."""
        return text(key, self.locale, **values)

    async def owned_order(self, number: str, *, with_following: bool = False) -> OrderView | None:
        """Order `number` if this chat is verified and the order is its customer's.

        `with_following` also fills `OrderView.following` for this chat.
        """
        if self.customer_id is None:
            return None
        identity_id = self.identity.id if with_following else None
        return await order_view_for_customer(
            self.session, self.customer_id, number, identity_id=identity_id
        )

    async def set_state(self, flow: str, step: str, data: dict[str, Any] | None = None) -> None:
        """Remember where this chat's conversation stands (replaces any other flow's state)."""
        assert self.identity.id is not None
        # A flow may have written or deleted the row through its own helpers: ask the
        # session (after a flush) rather than trusting the row loaded with the message.
        await self.session.flush()
        state = await self.session.get(ConversationState, self.identity.id)
        now = self.clock.now()
        if state is None:
            state = ConversationState(
                identity_id=self.identity.id, flow=flow, step=step, updated_at=now
            )
        state.flow, state.step, state.updated_at = flow, step, now
        state.data = dict(data or {})  # a new dict, so the JSON column is written
        self.session.add(state)
        self.state = state

    async def clear_state(self) -> None:
        """Forget any multi-step conversation in progress."""
        assert self.identity.id is not None
        self.state = None
        await self.session.flush()
        state = await self.session.get(ConversationState, self.identity.id)
        if state is not None:
            await self.session.delete(state)

    async def verify_first(self, then: str, number: str | None) -> list[Reply]:
        """Ask the shopper to prove who they are, then run action `then` with `number`."""
        return await self.ask_for_proof(self, then, number)


class Flow(Protocol):
    name: str
    action_prefix: str

    async def start(self, ctx: FlowContext, payload: str) -> list[Reply]:
        """The shopper asked for this flow; `payload` is an order number or ""."""

    async def step(self, ctx: FlowContext, inbound: Inbound) -> list[Reply] | None:
        """The next message or button while the flow is current; None: not mine."""


def contact_line(config: CoreConfig, locale: str | None) -> str:
    """ "How to reach the shop: " at help@shop.example (mon-fri, 09:00-17:00)"."""
    if not config.support_contact:
        return text("contact.fallback", locale)
    line = text("contact.via", locale, contact=config.support_contact)
    if config.support_hours:
        line += text("contact.hours", locale, days=config.support_days, hours=config.support_hours)
    return line


class ContactShopFlow:
    """The stand-in for returns and hand-offs: tells the shopper how to reach the shop."""

    action_prefix = "contact_"
    needs_verification = False

    def __init__(self, name: str) -> None:
        self.name = name

    async def start(self, ctx: FlowContext, payload: str) -> list[Reply]:
        """One reply with the shop's contact details."""
        contact = contact_line(ctx.config, ctx.locale)
        shop = ctx.config.shop_name
        if self.name == "return":
            key = "return.contact" if payload else "return.contact_any"
            reply = Reply.text(
                ctx.t(key, number=payload, shop=shop, contact=contact),
                intent="start_return",
                order_number=payload or None,
            )
        else:
            reply = Reply.text(
                ctx.t("human.contact", shop=shop, contact=contact),
                intent="human",
                order_number=payload or None,
            )
        reply.buttons.append(Button(ctx.t("button.orders"), "orders"))
        return [reply]

    async def step(self, ctx: FlowContext, inbound: Inbound) -> list[Reply] | None:
        """Nothing to continue: the shop takes it from here."""
        return None


class ModuleFlow:
    """A flow written as module functions: start / on_action / on_text on (session, clock, ...)."""

    def __init__(
        self, name: str, module: ModuleType, *, action_prefix: str, needs_verification: bool
    ) -> None:
        self.name = name
        self.module = module
        self.action_prefix = action_prefix
        self.needs_verification = needs_verification

    async def start(self, ctx: FlowContext, payload: str) -> list[Reply]:
        """Hand the request to the module's `start`."""
        replies: list[Reply] = await self.module.start(
            ctx.session, ctx.clock, ctx.config, ctx.identity, payload
        )
        return replies

    async def step(self, ctx: FlowContext, inbound: Inbound) -> list[Reply] | None:
        """A button goes to `on_action`, text to `on_text` (which may return None)."""
        if inbound.action:
            replies: list[Reply] | None = await self.module.on_action(
                ctx.session, ctx.clock, ctx.config, ctx.identity, inbound.action, inbound.payload
            )
        else:
            replies = await self.module.on_text(
                ctx.session, ctx.clock, ctx.config, ctx.identity, inbound.text or ""
            )
        return replies

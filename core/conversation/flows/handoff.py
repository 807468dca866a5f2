"""The shopper's side of talking to a person (flow "human").

"Talk to a person" (button `human` or words) → the bot asks for the question in one
message → the thread opens in the support channel with it (`core.handoff.opening`) and the
shopper is told when someone will answer (now, or when support opens). Until an agent
takes over, the shopper stays with the bot. Once taken (`core.handoff.threads.take_over` puts the
chat at step "taken"), every message goes to the thread instead of the bot — the
conversation answers nothing itself but commands (/help, /orders, /stop, /cancel) and
buttons — until the agent hands back or the thread goes idle.

Without a support channel configured, the shop's contact details are shown instead.
"""

from __future__ import annotations

from datetime import timedelta

from core.conversation.flow_context import ContactShopFlow, FlowContext
from core.handoff import threads as handoff
from core.handoff.cards import first_name_of
from core.handoff.opening import NoSupportChannel, open_thread, opening_words
from core.replies.reply import Button, Inbound, Reply

ASK_EXPIRES = timedelta(minutes=30)
_STOP_WORDS = frozenset({"cancel", "stop", "never mind", "nevermind", "no", "nothing"})


def _reply(text: str, number: str | None = None, buttons: list[Button] | None = None) -> Reply:
    return Reply.text(text, intent="human", order_number=number, buttons=buttons or [])


def with_a_person(ctx: FlowContext) -> bool:
    """Whether an agent has this chat: then the bot answers commands and buttons only."""
    return ctx.state is not None and ctx.state.flow == handoff.FLOW and ctx.state.step == "taken"


async def cancel_while_taken(ctx: FlowContext) -> list[Reply]:
    """/cancel while an agent has the chat: nothing to cancel; the agent hands back."""
    assert ctx.identity.id is not None
    thread = await handoff.open_thread_of(ctx.session, ctx.identity.id)
    agent = first_name_of(thread.agent_name if thread else None) or ctx.t("handoff.someone")
    return [_reply(ctx.t("handoff.cancel_taken", agent=agent))]


class HandoffFlow:
    """Talking to a person, as a `core.conversation.flow_context.Flow`."""

    name = handoff.FLOW
    action_prefix = "handoff_"
    needs_verification = False  # a person can help even a shopper who cannot verify

    async def start(self, ctx: FlowContext, payload: str) -> list[Reply]:
        """Ask for the question (or say a person is already on it)."""
        if not ctx.config.slack_support_channel:
            return await ContactShopFlow(self.name).start(ctx, payload)
        assert ctx.identity.id is not None
        existing = await handoff.open_thread_of(ctx.session, ctx.identity.id)
        if existing is not None and existing.state == "taken":
            agent = first_name_of(existing.agent_name) or ctx.t("handoff.someone")
            return [_reply(ctx.t("handoff.already_taken", agent=agent))]
        if existing is not None:
            return [_reply(ctx.t("handoff.already_waiting"))]
        number = payload.strip().lstrip("#")
        view = await ctx.owned_order(number) if number else None
        about = ctx.t("handoff.about", number=view.number) if view is not None else ""
        await ctx.set_state(self.name, "ask", {"order": view.number if view else ""})
        cancel = Button(ctx.t("button.cancel"), "handoff_cancel", "")
        return [_reply(ctx.t("handoff.ask", about=about), view.number if view else None, [cancel])]

    async def step(self, ctx: FlowContext, inbound: Inbound) -> list[Reply] | None:
        """The question (step "ask"), or a message for the agent (step "taken")."""
        state = ctx.state if ctx.state is not None and ctx.state.flow == self.name else None
        if inbound.action == "handoff_cancel":
            if state is None or state.step != "ask":
                return [_reply(ctx.t("handoff.stale"))]
            await ctx.clear_state()
            return [_reply(ctx.t("handoff.cancelled"))]
        if inbound.action:
            return [_reply(ctx.t("handoff.stale"))] if state is None else None
        if state is None:
            return None
        text = (inbound.text or "").strip()
        if state.step == "taken":
            if not text:
                return [_reply(ctx.t("handoff.text_only"))]
            if await handoff.shopper_message(
                ctx.session, ctx.clock, ctx.config, ctx.identity, text
            ):
                ctx.answered_by_bot = False
                return []  # a person answers; the bot stays quiet
            return None  # handed back or idle: the bot takes the message
        if ctx.clock.now() - state.updated_at > ASK_EXPIRES:
            return None  # asked long ago and wandered off: this message is for the bot
        if text.lower().rstrip(".!") in _STOP_WORDS:
            await ctx.clear_state()
            return [_reply(ctx.t("handoff.cancelled"))]
        if not text:
            return [_reply(ctx.t("handoff.empty"))]
        return await self._open(ctx, text, str(state.data.get("order") or ""))

    async def _open(self, ctx: FlowContext, text: str, number: str) -> list[Reply]:
        order_id = None
        if number and ctx.customer_id is not None:
            view = await ctx.owned_order(number)
            order_id = view.id if view is not None else None
        await ctx.clear_state()
        try:
            opened = await open_thread(
                ctx.session, ctx.clock, ctx.config, ctx.identity, message=text, order_id=order_id
            )
        except NoSupportChannel:
            return await ContactShopFlow(self.name).start(ctx, number)
        ctx.answered_by_bot = False
        if not opened.new:
            return [_reply(ctx.t("handoff.already_waiting"))]
        if opened.opens_at is not None:
            when = opening_words(opened.opens_at, ctx.locale)
            return [_reply(ctx.t("handoff.sent_offline", when=when), number or None)]
        return [_reply(ctx.t("handoff.sent"), number or None)]

"""The shopper's side of talking to a person (flow "human").

"Talk to a person" (button `human` or words) → the bot asks for the question in one
message → the thread opens in the support channel with it (`core.handoff_open`) and the
shopper is told when someone will answer (now, or when support opens). Until an agent
takes over, the shopper stays with the bot. Once taken (`core.handoff.take_over` puts the
chat at step "taken"), every message goes to the thread instead of the bot — the
conversation answers nothing itself — until the agent hands back or the thread goes idle.

Without a support channel configured, the shop's contact details are shown instead.
"""

from __future__ import annotations

from datetime import timedelta

from core import handoff
from core.flow_context import ContactShopFlow, FlowContext
from core.handoff_open import NoSupportChannel, open_thread, opening_words
from core.handoff_replies import first_name_of
from core.replies import Button, Inbound, Reply

TEXTS = {
    "ask": "Sure — what would you like to ask our team? Write it in one message and I'll "
    "pass it on{about}.",
    "about": " together with order {number}",
    "sent": "Thanks — I've passed your message to our team. Someone will answer right here "
    "in this chat.",
    "sent_offline": "Thanks — I've passed your message to our team. They're offline right "
    "now and will answer from {when}. Meanwhile I'm still here if you need me.",
    "already_waiting": "You've already asked for a person — our team will answer here as "
    "soon as they can.",
    "already_taken": "{agent} from our team is already with you — just write here.",
    "cancelled": "OK, I won't pass anything on. Anything else I can help with?",
    "stale": "That button is no longer active.",
    "empty": "Please write your question in a message (or tap Cancel).",
    "text_only": "I can only pass text messages on to our team — please describe it in words.",
}
ASK_EXPIRES = timedelta(minutes=30)
_STOP_WORDS = frozenset({"cancel", "stop", "never mind", "nevermind", "no", "nothing"})


def _reply(text: str, number: str | None = None, buttons: list[Button] | None = None) -> Reply:
    return Reply.text(text, intent="human", order_number=number, buttons=buttons or [])


class HandoffFlow:
    """Talking to a person, as a `core.flow_context.Flow`."""

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
            agent = first_name_of(existing.agent_name) or "Someone"
            return [_reply(TEXTS["already_taken"].format(agent=agent))]
        if existing is not None:
            return [_reply(TEXTS["already_waiting"])]
        number = payload.strip().lstrip("#")
        view = await ctx.owned_order(number) if number else None
        about = TEXTS["about"].format(number=view.number) if view is not None else ""
        await ctx.set_state(self.name, "ask", {"order": view.number if view else ""})
        cancel = Button(ctx.t("button.cancel"), "handoff_cancel", "")
        return [_reply(TEXTS["ask"].format(about=about), view.number if view else None, [cancel])]

    async def step(self, ctx: FlowContext, inbound: Inbound) -> list[Reply] | None:
        """The question (step "ask"), or a message for the agent (step "taken")."""
        state = ctx.state if ctx.state is not None and ctx.state.flow == self.name else None
        if inbound.action == "handoff_cancel":
            if state is None or state.step != "ask":
                return [_reply(TEXTS["stale"])]
            await ctx.clear_state()
            return [_reply(TEXTS["cancelled"])]
        if inbound.action:
            return [_reply(TEXTS["stale"])] if state is None else None
        if state is None:
            return None
        text = (inbound.text or "").strip()
        if state.step == "taken":
            if not text:
                return [_reply(TEXTS["text_only"])]
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
            return [_reply(TEXTS["cancelled"])]
        if not text:
            return [_reply(TEXTS["empty"])]
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
            return [_reply(TEXTS["already_waiting"])]
        if opened.opens_at is not None:
            when = opening_words(opened.opens_at)
            return [_reply(TEXTS["sent_offline"].format(when=when), number or None)]
        return [_reply(TEXTS["sent"], number or None)]

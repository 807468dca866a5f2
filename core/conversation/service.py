"""The shopper conversation: an inbound message or button press in, replies out.

    conversation = Conversation(database, clock, config)        # flows=... optional
    replies = await conversation.handle(Inbound("telegram", "42", text="where is 1001?"))

Each call runs in one transaction: it creates or refreshes the ChannelIdentity, reads
and writes multi-step state in ConversationState (never in memory, so any replica can
take the next message), logs one InboundLog row, and returns replies whose `intent`
and `order_number` say what was understood. The list is empty only when the message
went to a person (a hand-off in progress), or when `Inbound.delivery_key` names a
delivery already answered (the platform sent it again): send nothing then. The
duplicate check shares the message's transaction, so a message whose handling failed
is answered when the platform redelivers it.

Button actions (`Inbound.action`, `Inbound.payload`; payloads are short strings):

    track    order number   show the order            refresh  order number  same, again
    orders   ""             list my orders            help     ""            what I can do
    follow   order number   push updates for it       unfollow order number  stop those
    return   number or ""   start a return (flow)     human    number or ""  reach a person
    cancel   ""             abandon the current step
    link     token          verify with a deep-link token (what `/start <token>` sends)
    stop_pushes  ""         no pushes to this chat (what `/stop` sends)
    start_pushes ""         pushes on again (what a bare `/start` does when they were off)

Flows add their own actions under a prefix (returns: `ret_...`); see core.conversation.flow_context
for the Flow interface and `default_flows` (returns and hand-off, core.conversation.flows.*).

Commands may also arrive as text: "/start <token>" links, "/start" greets (and turns
pushes back on if they were off), "/stop" stops pushes, "/help", "/orders", "/cancel".
`link(inbound, token)`, `stop_pushes(inbound)` and `start_pushes(inbound)` are the same
as the matching actions.

Intents set on replies: greeting, help, track_order, list_orders, follow, unfollow,
start_return, human, thanks, bye, cancel, unknown, verify, link, stop_pushes,
start_pushes; and the problem reports (core.conversation.problems, which also own the
button actions of the same names): delivered_not_received, damaged, wrong_item,
missing_item, delayed, stuck, delivery_attempted, returned_to_sender, refund_status,
cancel_order, change_address. A parcel's tracking number may stand for its order number.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping

from sqlalchemy import bindparam, insert
from sqlalchemy.exc import IntegrityError

from core.conversation import intents as i
from core.conversation import problems
from core.conversation.chat_identity import chat_identity
from core.conversation.flow_context import Flow, FlowContext
from core.conversation.flows import default_flows
from core.conversation.flows.handoff import cancel_while_taken, with_a_person
from core.conversation.language import (
    LanguageDetector,
    chat_language,
    language_of_words,
    shared_detector,
)
from core.conversation.shopper_actions import (
    fallback,
    follow_order,
    greeting,
    help_reply,
    list_orders,
    order_details,
    start_pushes,
    stop_pushes,
    track,
    unfollow_order,
)
from core.conversation.verify_flow import FLOW as VERIFY_FLOW
from core.conversation.verify_flow import (
    ask_for_proof,
    continue_verification,
    link_with_token,
    verify_now,
)
from core.conversation.vocabulary import PROBLEM_INTENTS
from core.replies.reply import Inbound, Reply
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.runtime.zones import zone
from core.storage import hot_sql
from core.storage.columns import UTCDateTime
from core.storage.db import Database
from core.storage.dedupe import first_delivery
from core.storage.models import ChannelIdentity, InboundLog
from core.tracking.lookup import order_number_by_tracking

log = logging.getLogger(__name__)

_LOG_INBOUND = insert(InboundLog).values(
    identity_id=bindparam("identity_id"),
    channel=bindparam("channel"),
    intent=bindparam("intent"),
    answered_by_bot=bindparam("answered_by_bot"),
    at=bindparam("at", type_=UTCDateTime),
)

# What to do once a chat that asked with its proof in the same message is verified.
_RESUME = {
    i.LIST: "orders",
    i.FOLLOW: "follow",
    i.RETURN: "return",
    i.HUMAN: "human",
    **{kind: kind for kind in PROBLEM_INTENTS},
}

_MAX_ORDERS_PER_MESSAGE = 3


class Conversation:
    """Turns shopper messages and button presses into replies."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        config: CoreConfig,
        *,
        flows: Mapping[str, Flow] | None = None,
        languages: LanguageDetector | None = None,
    ) -> None:
        self.database = database
        self.clock = clock
        self.config = config
        self.languages = languages if languages is not None else shared_detector()
        self.flows: dict[str, Flow] = dict(flows) if flows is not None else default_flows()
        self.parser = i.parser_for(config.order_number_pattern)

    async def handle(self, inbound: Inbound) -> list[Reply]:
        """Answer one message or button press (empty when it went to a person, or repeats
        a delivery already answered)."""
        try:
            return await self._handle_once(inbound)
        except IntegrityError:
            # Two messages of one chat raced to create the same row (its conversation
            # state, a subscription); the loser was rolled back whole, so answer it again.
            log.info("retrying a message of %s sender after a write conflict", inbound.channel)
            return await self._handle_once(inbound)

    async def _handle_once(self, inbound: Inbound) -> list[Reply]:
        async with self.database.transaction() as session:
            key = inbound.delivery_key
            if key is not None and not await first_delivery(
                session, self.clock, inbound.channel, key
            ):
                log.info("%s delivery %s already answered; ignored", inbound.channel, key[:40])
                return []
            identity, state = await chat_identity(session, self.clock, inbound)
            self._choose_language(identity, inbound, in_a_step=state is not None)
            ctx = FlowContext(
                session=session,
                clock=self.clock,
                config=self.config,
                identity=identity,
                inbound=inbound,
                tz=zone(identity.timezone, self.config.timezone),
                state=state,
                run_action=lambda action, payload: self._action(ctx, action, payload),
                ask_for_proof=ask_for_proof,
            )
            if inbound.action:
                replies = await self._action(ctx, inbound.action, inbound.payload)
            else:
                replies = await self._text(ctx, inbound.text or "")
            if not replies and ctx.answered_by_bot:  # empty: the message went to a person
                replies = [fallback(ctx)]
            # Each reply's dates are written in the language of its words.
            replies = [
                r if r.locale else dataclasses.replace(r, locale=identity.locale) for r in replies
            ]
            # A plain INSERT on the connection: no unit of work, no ORM result handling.
            await hot_sql.write(
                session,
                _LOG_INBOUND,
                {
                    "identity_id": identity.id,
                    "channel": inbound.channel,
                    "intent": (replies[0].intent if replies else "human")[:32],
                    "answered_by_bot": ctx.answered_by_bot,
                    "at": self.clock.now(),
                },
            )
        return replies

    def _choose_language(
        self, identity: ChannelIdentity, inbound: Inbound, *, in_a_step: bool
    ) -> None:
        """Answer in the message's language when it says one, else keep the chat's. In the
        middle of a step (a postcode, a new address, a comment asked for) the words are data:
        "Hauptstrasse 5, 10115 Berlin" does not make an English chat German."""
        text = inbound.text if not inbound.action else None
        detected = None
        if text and not in_a_step and not text.lstrip().startswith("/"):
            detected = self.languages.detect(text) or language_of_words(text)
        language = chat_language(
            detected, identity.locale, inbound.locale, self.config.default_language
        )
        if identity.locale != language:
            identity.locale = language  # pushes to this chat use it too

    async def link(self, inbound: Inbound, token: str) -> list[Reply]:
        """`/start <token>`: verify this chat with a deep-link token."""
        return await self.handle(dataclasses.replace(inbound, action="link", payload=token))

    async def stop_pushes(self, inbound: Inbound) -> list[Reply]:
        """`/stop`: no more pushes to this chat."""
        return await self.handle(dataclasses.replace(inbound, action="stop_pushes", payload=""))

    async def start_pushes(self, inbound: Inbound) -> list[Reply]:
        """Pushes on again."""
        return await self.handle(dataclasses.replace(inbound, action="start_pushes", payload=""))

    async def _text(self, ctx: FlowContext, text: str) -> list[Reply]:
        parsed = self.parser.parse(text, ctx.locale)
        if parsed.intent == i.START:
            if parsed.argument:
                return await link_with_token(ctx, parsed.argument)
            return await self._start(ctx)
        if ctx.state is not None and text.lstrip().startswith("/") and with_a_person(ctx):
            # A person has the chat: a command is still the bot's, the rest goes to them.
            if parsed.intent == i.CANCEL:
                return await cancel_while_taken(ctx)
            return await self._intent(ctx, parsed)
        if parsed.tracking_number and not parsed.order_number:
            # Before any flow step: "what's your order number?" may be answered with one.
            parsed = await _order_named_by_tracking(ctx, parsed)
        if ctx.state is not None:
            replies = await self._continue_flow(ctx, parsed)
            if replies is not None:
                return replies
            await ctx.clear_state()
        if ctx.inbound.photos and parsed.intent in (i.UNKNOWN, i.THANKS):
            return [problems.photo_without_report(ctx)]
        number, proof = parsed.order_number, parsed.email or parsed.postcode
        if number and proof and (ctx.customer_id is None or not await ctx.owned_order(number)):
            # "where is 1001? jane@example.com", "postcode is 10115 and order is 1002": the
            # proof came with the question.
            then = _RESUME.get(parsed.intent, "track")
            return await verify_now(ctx, then, number, proof)
        return await self._intent(ctx, parsed)

    async def _continue_flow(self, ctx: FlowContext, parsed: i.Parsed) -> list[Reply] | None:
        assert ctx.state is not None
        if ctx.state.flow == VERIFY_FLOW:
            return await continue_verification(ctx, parsed)
        if ctx.state.flow == problems.FLOW:
            return await problems.continue_report(ctx, parsed)
        flow = self._flow_named(ctx.state.flow)
        if flow is None:
            return None  # state of a flow no longer registered: start afresh
        return await flow.step(ctx, ctx.inbound)

    async def _intent(self, ctx: FlowContext, parsed: i.Parsed) -> list[Reply]:
        number = parsed.order_number
        if parsed.intent == i.TRACK:
            if ctx.customer_id is not None and len(parsed.order_numbers) > 1:
                # "1001 and 1002?": one answer per order (a few at most).
                numbers = parsed.order_numbers[:_MAX_ORDERS_PER_MESSAGE]
                return [reply for n in numbers for reply in await track(ctx, n)]
            return await track(ctx, number)
        if parsed.intent in PROBLEM_INTENTS:
            return await problems.report(ctx, parsed.intent, number)
        if parsed.intent == i.LIST:
            return await list_orders(ctx)
        if parsed.intent == i.FOLLOW:
            return await follow_order(ctx, number)
        if parsed.intent == i.UNFOLLOW:
            return await unfollow_order(ctx, number)
        if parsed.intent == i.STOP_PUSHES:
            return await stop_pushes(ctx)
        if parsed.intent == i.RETURN:
            return await self._start_flow(ctx, "return", number or "")
        if parsed.intent == i.HUMAN:
            return await self._start_flow(ctx, "human", number or "")
        if parsed.intent == i.HELP:
            return [help_reply(ctx)]
        if parsed.intent == i.GREETING:
            return [greeting(ctx)]
        if parsed.intent in (i.THANKS, i.BYE):
            return [
                Reply.text(
                    ctx.t("thanks" if parsed.intent == i.THANKS else "bye"), intent=parsed.intent
                )
            ]
        if parsed.intent == i.CANCEL:
            return [Reply.text(ctx.t("cancelled"), intent="cancel")]
        return [fallback(ctx)]

    async def _action(self, ctx: FlowContext, action: str, payload: str) -> list[Reply]:
        number = payload.strip() or None
        if action in ("track", "refresh"):
            return await track(ctx, number)
        if action == "orders":
            return await list_orders(ctx)
        if action == "details":
            return await order_details(ctx, number)
        if action == "follow":
            return await follow_order(ctx, number)
        if action == "unfollow":
            return await unfollow_order(ctx, number)
        if action == "link":
            return await link_with_token(ctx, payload)
        if action == "stop_pushes":
            return await stop_pushes(ctx)
        if action == "start_pushes":
            return await start_pushes(ctx)
        if action == "help":
            return [help_reply(ctx)]
        if action == "cancel":
            if with_a_person(ctx):  # the agent's thread stays open until they hand back
                return await cancel_while_taken(ctx)
            await ctx.clear_state()
            return [Reply.text(ctx.t("cancelled"), intent="cancel")]
        if action in ("return", "human"):
            return await self._start_flow(ctx, action, payload.strip())
        if action in PROBLEM_INTENTS:
            return await problems.report(ctx, action, number)
        for flow in self.flows.values():
            if flow.action_prefix and action.startswith(flow.action_prefix):
                replies = await flow.step(ctx, ctx.inbound)
                if replies is not None:
                    return replies
                break
        log.info("unknown action %r from identity %s", action[:40], ctx.identity.id)
        return [fallback(ctx)]

    async def _start_flow(self, ctx: FlowContext, name: str, payload: str) -> list[Reply]:
        flow = self.flows[name]
        if ctx.state is not None and ctx.state.flow != flow.name:
            await ctx.clear_state()
        if getattr(flow, "needs_verification", False) and ctx.customer_id is None:
            return await ctx.verify_first(name, payload or None)
        return await flow.start(ctx, payload)

    def _flow_named(self, name: str) -> Flow | None:
        return next((f for f in self.flows.values() if f.name == name), None)

    async def _start(self, ctx: FlowContext) -> list[Reply]:
        if not ctx.identity.pushes_enabled:
            replies = await start_pushes(ctx)
            return [greeting(ctx), *replies]
        return [greeting(ctx)]


async def _order_named_by_tracking(ctx: FlowContext, parsed: i.Parsed) -> i.Parsed:
    """A tracking number instead of an order number: the order it names, when it is this
    chat's; otherwise the number as typed, answered exactly like an order number that is
    not theirs (or verified like one), so no reply says whether it exists."""
    assert parsed.tracking_number is not None
    number = None
    if ctx.customer_id is not None:
        number = await order_number_by_tracking(
            ctx.session, parsed.tracking_number, ctx.customer_id
        )
    return dataclasses.replace(
        parsed, order_number=number or parsed.tracking_number, explicit_number=True
    )

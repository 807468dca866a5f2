"""The staff side on a terminal: what the support team sees in Slack, for `wismo demo`.

The queue (the Home tab's content), staff look-ups (type an order number, an e-mail address
or a tracking number, as in a DM to the Slack bot) and the buttons of the queue and of the
cards — assign, resolve, approve, decline, take over, hand back — on the same core services
the Slack adapter calls. Where Slack opens a modal, the terminal asks on the next line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from sqlmodel import col, select

from adapters.console.screen import ConsoleScreen
from core import handoff, returns
from core.handoff import HandoffError
from core.replies import Button, Reply
from core.returns import DECLINE_REASONS, ReturnError
from core.runtime import Clock, CoreConfig, zone
from core.staff import (
    DECLINE_REASON_LABELS,
    STAFF_FLAG_KINDS,
    FlagError,
    assign_flag,
    flag_label,
    lookup_reply,
    queue_reply,
    raise_flag,
    resolve_flag,
    staff_queue,
)
from core.storage import Database, HandoffThread, Notification, Order

STAFF_ID = "console:staff"
STAFF_NAME = "Sam (support)"
CONSOLE_PER_GROUP = 2  # a terminal screen is smaller than a Home tab


def _notice(text: str) -> Reply:
    return Reply.text(text, intent="staff_notice")


@dataclass
class _Asking:
    """A question the terminal asked in place of a Slack modal; the next line answers it."""

    action: str  # flag_resolve | return_decline
    subject: str
    reason: str = ""


class StaffConsole:
    """One support agent at the terminal."""

    def __init__(
        self, database: Database, clock: Clock, config: CoreConfig, screen: ConsoleScreen
    ) -> None:
        self.database = database
        self.clock = clock
        self.config = config
        self.screen = screen
        self._asking: _Asking | None = None

    @property
    def tz(self) -> tzinfo:
        return zone(self.config.timezone)

    async def queue(self) -> Reply:
        """The support queue, as the Home tab shows it."""
        async with self.database.session() as session:
            queue = await staff_queue(
                session, self.clock, self.config, staff_id=STAFF_ID, per_group=CONSOLE_PER_GROUP
            )
        return queue_reply(queue, self.tz)

    async def say(self, line: str) -> list[Reply]:
        """One line from the agent: a button, an answer to a question, or a look-up."""
        text = line.strip()
        if not text:
            return []
        button = self.screen.choice(text)
        if button is not None:
            self._asking = None
            replies = await self.press(button.action, button.payload)
        elif self._asking is not None:
            replies = await self._answer(self._asking, text)
        elif text.startswith(">"):
            replies = [_notice(await self._reply_to_shopper(text[1:].strip()))]
        elif text.lower() in ("queue", "home", "refresh"):
            replies = [await self.queue()]
        else:
            async with self.database.session() as session:
                replies = [await lookup_reply(session, text, None, self.tz)]
        self.screen.show(replies)
        return replies

    async def press(self, action: str, subject: str) -> list[Reply]:
        """What a button does."""
        if action == "staff_queue":
            return [await self.queue()]
        if action == "staff_order":
            async with self.database.session() as session:
                return [await lookup_reply(session, subject, None, self.tz)]
        if action == "flag_resolve":
            self._asking = _Asking(action, subject)
            return [_notice(f"Resolve flag #{subject}: what was done? (one line)")]
        if action == "return_decline":
            return [self._decline_reasons(subject)]
        if action == "decline_reason":
            number, _, reason = subject.partition(":")
            self._asking = _Asking("return_decline", number, reason)
            return [_notice(f"Decline return #{number}: a note to the shopper (or '-' for none)")]
        if action == "flag_open":
            kinds = [Button(flag_label(k), "flag_kind", f"{subject}:{k}") for k in STAFF_FLAG_KINDS]
            return [Reply.text(f"Flag order {subject}: what is wrong?", buttons=kinds)]
        if action not in _STEPS or not subject.replace(":", "").replace("_", "").isalnum():
            return [_notice("That button does nothing on the staff side of the demo.")]
        if action == "flag_assign":
            notice = await self._assign(subject)
        elif action == "flag_kind":
            notice = await self._flag_kind(subject)
        elif action.startswith("handoff_"):
            notice = await self._handoff(action, subject)
        else:
            notice = await self._return_step(action, subject)
        return [_notice(notice), await self.queue()]

    def _decline_reasons(self, subject: str) -> Reply:
        buttons = [
            Button(DECLINE_REASON_LABELS.get(r, r), "decline_reason", f"{subject}:{r}")
            for r in DECLINE_REASONS
        ]
        return Reply.text(f"Decline return #{subject}: why?", buttons=buttons)

    async def _answer(self, asking: _Asking, text: str) -> list[Reply]:
        self._asking = None
        if not asking.subject.isdigit():
            return [_notice("That is not something the queue knows.")]
        subject = int(asking.subject)
        try:
            async with self.database.transaction() as session:
                if asking.action == "flag_resolve":
                    await resolve_flag(session, self.clock, subject, actor=STAFF_ID, note=text)
                    done = f"Flag #{subject} resolved: “{text}”."
                else:
                    note = "" if text == "-" else text
                    await returns.decline(
                        session, self.clock, self.config, subject,
                        actor=STAFF_ID, reason=asking.reason, note=note,
                    )  # fmt: skip
                    done = f"Return #{subject} declined; the shopper is told why."
        except (FlagError, ReturnError) as error:
            return [_notice(f"Nothing changed: {error}.")]
        return [_notice(done), await self.queue()]

    async def _reply_to_shopper(self, text: str) -> str:
        """ "> message": the agent answers the shopper whose conversation they took over."""
        if not text:
            return "Type “> ” and then what the shopper should read."
        async with self.database.transaction() as session:
            thread = (
                await session.exec(
                    select(HandoffThread)
                    .where(HandoffThread.state == "taken", HandoffThread.agent_id == STAFF_ID)
                    .order_by(col(HandoffThread.id).desc())
                )
            ).first()
            if thread is None or not thread.slack_channel or not thread.slack_thread_ts:
                return "No conversation is with you: “Take over” one in the queue first."
            outcome = await handoff.agent_reply(
                session, self.clock, self.config,
                channel=thread.slack_channel, thread_ts=thread.slack_thread_ts,
                message_ts=f"{self.clock.now().timestamp():.6f}", agent_id=STAFF_ID, text=text,
            )  # fmt: skip
        if outcome == "forwarded":
            return f"Sent to the shopper of hand-off #{thread.id}."
        return "The conversation is back with the bot; your message stayed here."

    async def _assign(self, subject: str) -> str:
        try:
            async with self.database.transaction() as session:
                await assign_flag(session, self.clock, int(subject), actor=STAFF_ID)
        except FlagError as error:
            return f"Nothing changed: {error}."
        return f"Flag #{subject} is yours."

    async def _return_step(self, action: str, subject: str) -> str:
        step: Any = {
            "return_approve": returns.approve,
            "return_received": returns.mark_received,
            "return_refunded": returns.mark_refunded,
        }[action]
        try:
            async with self.database.transaction() as session:
                request = await step(session, self.clock, self.config, int(subject), actor=STAFF_ID)
        except ReturnError as error:
            return f"Return #{subject}: nothing changed ({error})."
        return f"Return #{subject} is {request.state}; the shopper hears it on their own channel."

    async def _flag_kind(self, subject: str) -> str:
        number, _, kind = subject.partition(":")
        try:
            async with self.database.transaction() as session:
                order = (await session.exec(select(Order).where(Order.number == number))).first()
                if order is None or order.id is None:
                    return f"Order {number} no longer exists."
                flag = await raise_flag(
                    session, self.clock, self.config, order.id, kind, source="staff",
                    actor=STAFF_ID,
                )  # fmt: skip
        except FlagError as error:
            return f"Nothing changed: {error}."
        return f"Flag #{flag.id if flag else '?'} ({flag_label(kind)}) raised on order {number}."

    async def _handoff(self, action: str, subject: str) -> str:
        thread_id = int(subject)
        try:
            async with self.database.transaction() as session:
                if action == "handoff_take":
                    channel, ts = await _posted_at(session, thread_id)
                    await handoff.take_over(
                        session, self.clock, self.config, thread_id,
                        agent_id=STAFF_ID, agent_name=STAFF_NAME, channel=channel, ts=ts,
                    )  # fmt: skip
                    return (
                        f"You have hand-off #{thread_id}: the shopper is told. Type "
                        "“> your message” to answer them."
                    )
                await handoff.hand_back(session, self.clock, self.config, thread_id, actor=STAFF_ID)
        except HandoffError as error:
            return f"Not possible: {error}."
        return f"Hand-off #{thread_id} is back with the bot."


async def _posted_at(session: Any, thread_id: int) -> tuple[str | None, str | None]:
    """Where the outbox posted the thread's card ("CHANNEL:TS"), so replies find the thread."""
    ref = (
        await session.exec(
            select(Notification.external_ref).where(
                Notification.subject_type == "handoff",
                Notification.subject_id == thread_id,
                col(Notification.external_ref).is_not(None),
            )
        )
    ).first()
    channel, _, ts = (ref or "").partition(":")
    return (channel or None, ts or None)


_STEPS = frozenset(
    {
        "flag_assign",
        "flag_kind",
        "return_approve",
        "return_received",
        "return_refunded",
        "handoff_take",
        "handoff_back",
    }
)

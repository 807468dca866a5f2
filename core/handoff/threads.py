"""Talking to a person: a shopper's conversation handed to a Slack thread and back.

    waiting --take_over--> taken --hand_back / idle--> closed
    waiting --hand_back ("Close") / idle--> closed

`open_thread` posts the thread's first message to the support channel through the outbox
(a staff alert, subject "handoff"). The Slack adapter learns the thread's ts from the
button click (`take_over(..., channel=, ts=)`) or asks `thread_at(channel, ts)`, which
finds it from the outbox row's `external_ref` ("C123:1700000.1") that the dispatcher kept.

While a thread is taken, the shopper's chat is in flow "human" (ConversationState), so
their messages go to the thread (`shopper_message`, posted through the outbox on channel
`slack_thread`, recipient "CHANNEL:THREAD_TS") instead of the bot, and the taking agent's
replies reach the shopper (`agent_reply`) — except internal notes (core.handoff.notes).
Replies in a thread nobody took over, or from another agent, stay in Slack. Every step is
audited; every change of hands is told to the shopper.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.handoff.cards import agent_message, first_name_of, notice, shopper_line
from core.handoff.notes import is_note, record_note
from core.handoff.notices import SUBJECT, THREAD_CHANNEL, post_in_thread, shopper_name, tell_shopper
from core.pushes import notifications
from core.pushes.home_refresh import queue_changed
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.storage import audit
from core.storage import conversation_state as flow_state
from core.storage.models import ChannelIdentity, HandoffThread, Notification

__all__ = [
    "SUBJECT",
    "THREAD_CHANNEL",
    "AgentReplyOutcome",
    "AlreadyTaken",
    "HandoffError",
    "ThreadClosed",
    "ThreadNotFound",
    "agent_reply",
    "close_idle",
    "get_thread",
    "hand_back",
    "open_thread_of",
    "shopper_message",
    "shopper_name",
    "take_over",
    "thread_at",
    "thread_opened",
]

FLOW = "human"
OPEN_STATES = ("waiting", "taken")
MESSAGE_LIMIT = 3000

AgentReplyOutcome = Literal["forwarded", "note", "not_taken", "other_agent", "closed", "unknown"]


class HandoffError(Exception):
    """A hand-off step that cannot be done; the message says why."""


class ThreadNotFound(HandoffError):
    def __init__(self, thread_id: int) -> None:
        super().__init__(f"no hand-off thread {thread_id}")


class AlreadyTaken(HandoffError):
    """Someone else took the thread over first."""

    def __init__(self, agent_name: str | None) -> None:
        super().__init__(f"{agent_name or 'another agent'} has already taken this over")
        self.agent_name = agent_name


class ThreadClosed(HandoffError):
    """The shopper is back with the bot."""

    def __init__(self) -> None:
        super().__init__("this conversation is already back with the bot")


async def open_thread_of(session: AsyncSession, identity_id: int) -> HandoffThread | None:
    """The chat's thread that is still waiting or taken, if any."""
    result = await session.exec(
        select(HandoffThread)
        .where(HandoffThread.identity_id == identity_id, col(HandoffThread.state).in_(OPEN_STATES))
        .order_by(col(HandoffThread.id).desc())
        .execution_options(populate_existing=True)
    )
    return result.first()


async def get_thread(session: AsyncSession, thread_id: int) -> HandoffThread:
    """The thread with this id, freshly read; ThreadNotFound otherwise."""
    result = await session.exec(
        select(HandoffThread)
        .where(HandoffThread.id == thread_id)
        .execution_options(populate_existing=True)
    )
    thread = result.first()
    if thread is None:
        raise ThreadNotFound(thread_id)
    return thread


async def thread_opened(session: AsyncSession, thread_id: int, channel: str, ts: str) -> None:
    """Remember where the thread's first message landed (idempotent)."""
    await session.exec(
        update(HandoffThread)
        .where(col(HandoffThread.id) == thread_id)
        .values(slack_channel=channel, slack_thread_ts=ts)
        .execution_options(synchronize_session=False)
    )


async def thread_at(session: AsyncSession, channel: str, ts: str) -> HandoffThread | None:
    """The thread whose first message is `ts` in `channel`, learning the ts from the outbox."""
    found = (
        await session.exec(
            select(HandoffThread).where(
                HandoffThread.slack_channel == channel, HandoffThread.slack_thread_ts == ts
            )
        )
    ).first()
    if found is not None:
        return found
    thread_id = (
        await session.exec(
            select(Notification.subject_id).where(
                Notification.subject_type == SUBJECT, Notification.external_ref == f"{channel}:{ts}"
            )
        )
    ).first()
    if thread_id is None:
        return None
    await thread_opened(session, thread_id, channel, ts)
    return await get_thread(session, thread_id)


async def take_over(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    thread_id: int,
    *,
    agent_id: str,
    agent_name: str,
    channel: str | None = None,
    ts: str | None = None,
) -> HandoffThread:
    """An agent takes the conversation: from now on their thread replies reach the shopper.

    The first click wins (a conditional UPDATE); a second agent gets AlreadyTaken. The
    same agent clicking again is a no-op.
    """
    now = clock.now()
    values: dict[str, object] = {
        "state": "taken",
        "agent_id": agent_id,
        "agent_name": agent_name[:100],
        "last_activity_at": now,
    }
    if channel and ts:
        values.update(slack_channel=channel, slack_thread_ts=ts)
    result = await session.exec(
        update(HandoffThread)
        .where(col(HandoffThread.id) == thread_id, col(HandoffThread.state) == "waiting")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    thread = await get_thread(session, thread_id)
    if result.rowcount != 1:
        if thread.state == "taken" and thread.agent_id == agent_id:
            return thread
        if thread.state == "taken":
            raise AlreadyTaken(thread.agent_name)
        raise ThreadClosed()
    await flow_state.save(
        session, clock, thread.identity_id, FLOW, "taken", {"thread_id": thread_id}
    )
    await audit.record(
        session,
        clock,
        actor=agent_id,
        action="handoff.taken",
        subject_type=SUBJECT,
        subject_id=thread_id,
        before={"state": "waiting"},  # the conditional UPDATE above matched only that
        after={"state": "taken", "agent": agent_name[:100]},
    )
    await queue_changed(session, clock)
    await tell_shopper(
        session,
        clock,
        config,
        thread,
        "handoff_notice.taken",
        key="taken",
        agent=first_name_of(agent_name),
        shop=config.shop_name,
    )
    return thread


async def hand_back(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    thread_id: int,
    *,
    actor: str,
    idle: bool = False,
) -> HandoffThread:
    """Return the shopper to the bot (an agent's "Hand back"/"Close", or 24 h of silence)."""
    before = await get_thread(session, thread_id)
    # Plain values: re-reading the row below refreshes this same object.
    before_state, agent_name = before.state, before.agent_name
    result = await session.exec(
        update(HandoffThread)
        .where(col(HandoffThread.id) == thread_id, col(HandoffThread.state).in_(OPEN_STATES))
        .values(state="closed", closed_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ThreadClosed()
    thread = await get_thread(session, thread_id)
    await flow_state.clear(session, thread.identity_id, FLOW)
    await audit.record(
        session,
        clock,
        actor=actor,
        action="handoff.idle" if idle else "handoff.handed_back",
        subject_type=SUBJECT,
        subject_id=thread_id,
        before={"state": before_state},
        after={"state": "closed"},
    )
    await queue_changed(session, clock)
    was_taken = before_state == "taken"
    key = (
        ("idle" if idle else "back")
        if was_taken
        else ("idle_waiting" if idle else "closed_waiting")
    )
    await tell_shopper(
        session,
        clock,
        config,
        thread,
        f"handoff_notice.{key}",
        key="closed",
        agent=first_name_of(agent_name),
        shop=config.shop_name,
    )
    if idle and thread.slack_channel and thread.slack_thread_ts:
        line = notice("No messages for a while: the shopper is back with the bot.")
        await post_in_thread(session, clock, thread, line)
    return thread


async def agent_reply(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    *,
    channel: str,
    thread_ts: str,
    message_ts: str,
    agent_id: str,
    text: str,
) -> AgentReplyOutcome:
    """A message in a hand-off thread: forwarded to the shopper only from the taking agent.

    A message starting with the note marker is an internal note ("note"), from anyone: it
    stays in Slack (core.handoff.notes).
    """
    thread = await thread_at(session, channel, thread_ts)
    if thread is None:
        return "unknown"
    if is_note(text, config):
        await record_note(
            session, clock, thread, agent_id=agent_id, length=len(text.strip()), via="marker"
        )
        return "note"
    if thread.state == "closed":
        return "closed"
    if thread.state != "taken":
        return "not_taken"  # agents talking among themselves; the shopper never sees it
    if thread.agent_id != agent_id:
        return "other_agent"
    if await _went_idle(session, clock, config, thread):
        return "closed"
    reply = agent_message(text.strip()[:MESSAGE_LIMIT], first_name_of(thread.agent_name))
    identity = await session.get(ChannelIdentity, thread.identity_id)
    assert identity is not None and thread.id is not None
    await notifications.enqueue(
        session,
        clock,
        config,
        identity,
        reply,
        kind="handoff_reply",
        dedupe_key=f"handoff:{thread.id}:agent:{message_ts}",
        urgent=True,
        order_id=thread.order_id,
        subject_type=SUBJECT,
        subject_id=thread.id,
        respect_opt_out=False,  # the shopper asked for a person; this is the answer
    )
    thread.last_activity_at = clock.now()
    session.add(thread)
    return "forwarded"


async def shopper_message(
    session: AsyncSession, clock: Clock, config: CoreConfig, identity: ChannelIdentity, text: str
) -> bool:
    """Post the shopper's message into their taken thread; False when no thread takes it."""
    assert identity.id is not None
    thread = await open_thread_of(session, identity.id)
    if thread is None or thread.state != "taken" or not thread.slack_thread_ts:
        return False
    if await _went_idle(session, clock, config, thread):
        return False
    name = await shopper_name(session, identity)
    await post_in_thread(session, clock, thread, shopper_line(name, text.strip()[:MESSAGE_LIMIT]))
    thread.last_activity_at = clock.now()
    session.add(thread)
    return True


async def close_idle(session: AsyncSession, clock: Clock, config: CoreConfig) -> int:
    """Hand every thread silent for `config.handoff_idle` back to the bot; how many."""
    cutoff = clock.now() - config.handoff_idle
    ids = (
        await session.exec(
            select(HandoffThread.id).where(
                col(HandoffThread.state).in_(OPEN_STATES), HandoffThread.last_activity_at < cutoff
            )
        )
    ).all()
    closed = 0
    for thread_id in ids:
        assert thread_id is not None
        try:
            await hand_back(session, clock, config, thread_id, actor="wismo", idle=True)
        except ThreadClosed:
            continue  # another replica closed it a moment ago
        closed += 1
    return closed


async def _went_idle(
    session: AsyncSession, clock: Clock, config: CoreConfig, thread: HandoffThread
) -> bool:
    if clock.now() - thread.last_activity_at < config.handoff_idle:
        return False
    assert thread.id is not None
    try:
        await hand_back(session, clock, config, thread.id, actor="wismo", idle=True)
    except ThreadClosed:
        pass
    return True

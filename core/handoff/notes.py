"""Internal notes in a hand-off thread: staff remarks that never reach the shopper.

A thread message that starts with the configured marker (`CoreConfig.handoff_note_marker`,
"note:" by default, any case) is a note, whoever writes it — also the agent who took over,
whose other messages reach the shopper. The "Note (internal)" button posts one through the
outbox, marked as such in the thread. Either way the note is audited (`handoff.note`, its
length, never its words) and counts as the agent's activity, so the thread does not go idle
while staff work on it.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from core.handoff.notices import SUBJECT, post_in_thread
from core.replies.reply import Reply, Section
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.storage import audit
from core.storage.models import HandoffThread

NOTE_LIMIT = 3000
NOTE_TITLE = "Internal note — not sent to the shopper"

NoteVia = Literal["marker", "action"]


class EmptyNote(ValueError):
    """A note with nothing in it."""


def is_note(text: str, config: CoreConfig) -> bool:
    """Whether a thread message is an internal note (it starts with the marker)."""
    marker = config.handoff_note_marker.strip().lower()
    return bool(marker) and text.lstrip().lower().startswith(marker)


def note_card(text: str, author: str) -> Reply:
    """A note posted with the "Note (internal)" action, as the thread shows it."""
    return Reply(
        sections=[Section(title=NOTE_TITLE, text=text), Section(text=f"— {author}")],
        intent="handoff_note",
    )


async def record_note(
    session: AsyncSession,
    clock: Clock,
    thread: HandoffThread,
    *,
    agent_id: str,
    length: int,
    via: NoteVia,
) -> None:
    """Audit a note on `thread` and count it as activity on an open thread."""
    assert thread.id is not None
    await audit.record(
        session,
        clock,
        actor=agent_id,
        action="handoff.note",
        subject_type=SUBJECT,
        subject_id=thread.id,
        before=None,
        after={"via": via, "length": length, "state": thread.state},
    )
    if thread.state != "closed":
        await session.exec(
            update(HandoffThread)
            .where(col(HandoffThread.id) == thread.id, col(HandoffThread.state) != "closed")
            .values(last_activity_at=clock.now())
            .execution_options(synchronize_session=False)
        )


async def add_note(
    session: AsyncSession,
    clock: Clock,
    thread: HandoffThread,
    *,
    agent_id: str,
    agent_name: str,
    text: str,
) -> None:
    """The "Note (internal)" action: post `text` into the thread, marked, and audit it.

    Raises EmptyNote for blank text; the text is cut at NOTE_LIMIT characters.
    """
    text = text.strip()[:NOTE_LIMIT]
    if not text:
        raise EmptyNote("a note needs some text")
    if thread.slack_channel and thread.slack_thread_ts:
        await post_in_thread(session, clock, thread, note_card(text, agent_name or agent_id))
    await record_note(session, clock, thread, agent_id=agent_id, length=len(text), via="action")

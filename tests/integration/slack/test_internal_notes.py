"""Internal notes in hand-off threads, through slack-bolt: a reply starting with "note:" and
one written with "Note (internal)" stay in Slack, marked so; the shopper hears none of it."""

from __future__ import annotations

from sqlmodel import select

from core.runtime.clock import ManualClock
from core.storage.models import AuditEntry
from tests.integration.slack.conftest import AGENT, AGENT2, OUTSIDER, SUPPORT, Desk
from tests.integration.slack.test_handoff_flow import _button, _thread, _thread_message, _to_shopper


async def _taken(desk: Desk, clock: ManualClock) -> tuple[int, str, dict[str, object]]:
    """A thread taken over by AGENT: (thread id, its ts, the card's Note (internal) button)."""
    thread_id, card, ts = await _thread(desk, clock)
    await desk.click(_button(card, "Take over"), channel=SUPPORT, message_ts=ts)
    [taken] = await desk.api.wait_for("chat.update")
    return thread_id, ts, _button(taken, "Note (internal)")


async def _notes(desk: Desk) -> list[dict[str, object] | None]:
    async with desk.database.session() as session:
        rows = await session.exec(select(AuditEntry).where(AuditEntry.action == "handoff.note"))
        return [entry.after for entry in rows.all()]


async def test_a_reply_starting_with_the_marker_stays_in_slack_and_is_marked(
    desk: Desk, clock: ManualClock
) -> None:
    _, ts, _ = await _taken(desk, clock)
    before = await _to_shopper(desk)
    await _thread_message(desk, ts, AGENT, "Note: she called twice already, be kind", "Ev0101")
    [mark] = await desk.api.wait_for("reactions.add")
    assert mark.args["channel"] == SUPPORT and mark.args["name"] == "lock"
    assert mark.args["timestamp"] == "1700000100.0101"  # the note itself, not the thread
    await _thread_message(desk, ts, AGENT2, "note: I checked the depot", "Ev0102")
    await desk.api.wait_for("reactions.add", 2)
    assert await _to_shopper(desk) == before  # neither note reached the shopper
    assert desk.api.of("chat.postEphemeral") == []  # AGENT2 is not told off for a note
    assert [n and n["via"] for n in await _notes(desk)] == ["marker", "marker"]


async def test_the_note_action_posts_a_marked_note_into_the_thread(
    desk: Desk, clock: ManualClock
) -> None:
    thread_id, ts, note_button = await _taken(desk, clock)
    before = await _to_shopper(desk)
    await desk.click(note_button, channel=SUPPORT, message_ts=ts, user=AGENT2)
    [opened] = await desk.api.wait_for("views.open")
    assert opened.args["view"]["callback_id"] == "wismo_note"

    empty = await desk.submit(opened.args["view"], {"note": "   "}, user=AGENT2)
    assert empty.json()["errors"] == {"note": "Write the note first."}
    refused = await desk.submit(opened.args["view"], {"note": "let me in"}, user=OUTSIDER)
    assert "only wismo support staff" in refused.json()["errors"]["note"]

    done = await desk.submit(opened.args["view"], {"note": "Replacement approved"}, user=AGENT2)
    assert done.status_code == 200 and done.content == b""
    [(notification, _)] = await desk.deliver_outbox()
    posted = desk.api.of("chat.postMessage")[-1]
    assert (posted.args["channel"], posted.args["thread_ts"]) == (SUPPORT, ts)
    assert "Internal note — not sent to the shopper" in posted.text
    assert "Replacement approved" in posted.text and "omar.agent" in posted.text
    assert notification.subject_id == thread_id
    assert await _to_shopper(desk) == before
    assert await _notes(desk) == [{"via": "action", "length": 20, "state": "taken"}]

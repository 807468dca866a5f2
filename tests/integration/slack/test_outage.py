"""The database goes away while staff use Slack (PostgreSQL through a relay, real HTTP).

Nothing is acknowledged as done that was not done: a slash command is told to try again
(Slack never resends one), an event gets 503 so that Slack resends it, and once the
database is back the retry and the redelivery are each answered once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from core.runtime.clock import ManualClock
from core.storage.models import AuditEntry
from tests.integration.slack.conftest import AGENT, Desk, serve_desk
from tests.integration.slack.stand_in import SlackStandIn
from tests.integration.telegram.test_outage import DatabaseLine, line  # noqa: F401
from tests.unit.staff_data import build_shop

pytestmark = pytest.mark.postgres
RETRY_LATER = "can't reach its database right now, so nothing was done"


@pytest.fixture
async def pg_desk(
    clock: ManualClock,
    slack_api: SlackStandIn,
    line: tuple[DatabaseLine, str],  # noqa: F811
) -> AsyncIterator[Desk]:
    _, database_url = line
    async with serve_desk(database_url, clock, slack_api) as served:
        yield served


async def lookups(desk: Desk) -> int:
    from sqlmodel import select

    async with desk.database.session() as session:
        entries = (await session.exec(select(AuditEntry))).all()
    return sum(1 for e in entries if e.action == "order.lookup")


async def test_staff_requests_during_an_outage_are_not_lost(
    pg_desk: Desk,
    clock: ManualClock,
    line: tuple[DatabaseLine, str],  # noqa: F811
) -> None:
    relay, _ = line
    async with pg_desk.database.transaction() as session:
        await build_shop(session, clock)
    dm = {"type": "message", "channel_type": "im", "channel": "D0AGENT", "user": AGENT,
          "text": "order 1001", "ts": "1700000001.000100"}  # fmt: skip

    await relay.cut()  # the database goes away
    command = await pg_desk.command("order 1001")
    assert command.status_code == 200
    assert RETRY_LATER in command.json()["text"]  # what the staff member sees
    assert command.json()["response_type"] == "ephemeral"
    event = await pg_desk.event(dm, event_id="Ev0OUTAGE")
    assert event.status_code == 503  # not acknowledged: Slack sends it again
    assert pg_desk.api.of("chat.postEphemeral") == pg_desk.api.of("chat.postMessage") == []

    await relay.restore()  # back
    assert (await pg_desk.event(dm, event_id="Ev0OUTAGE", retry=1)).status_code == 200
    [answer] = await pg_desk.api.wait_for("chat.postMessage")
    assert "Order 1001" in answer.text
    assert (await pg_desk.command("order 1001")).status_code == 200  # the staff member's retry
    [card] = await pg_desk.api.wait_for("chat.postEphemeral")
    assert "Order 1001" in card.text
    assert (await pg_desk.event(dm, event_id="Ev0OUTAGE", retry=2)).status_code == 200
    await pg_desk.api.settle("chat.postMessage", 1)
    assert await lookups(pg_desk) == 2  # each answered once


async def test_a_command_whose_work_fails_after_its_ack_says_so(
    pg_desk: Desk,
    clock: ManualClock,
    line: tuple[DatabaseLine, str],  # noqa: F811
) -> None:
    from sqlalchemy.exc import OperationalError

    async with pg_desk.database.transaction() as session:
        await build_shop(session, clock)

    async def gone(*args: object, **kwargs: object) -> None:
        raise OperationalError("SELECT", {}, ConnectionResetError("connection reset"))

    pg_desk.services.slack.desk.look_up = gone  # the database dies after the ack
    # The HTTP answer is bolt's: 200, or 404 when the listener fails within bolt's 10 ms
    # poll for the ack (its error path resets the ack). Either way, the staff member reads:
    await pg_desk.command("order 1001")
    [notice] = await pg_desk.api.wait_for("response:command")
    assert RETRY_LATER in notice.args["text"] and notice.args["response_type"] == "ephemeral"


async def test_a_direct_message_whose_work_fails_after_its_ack_says_so(
    pg_desk: Desk,
    clock: ManualClock,
    line: tuple[DatabaseLine, str],  # noqa: F811
) -> None:
    from sqlalchemy.exc import OperationalError

    async with pg_desk.database.transaction() as session:
        await build_shop(session, clock)

    async def gone(*args: object, **kwargs: object) -> None:
        raise OperationalError("SELECT", {}, ConnectionResetError("connection reset"))

    pg_desk.services.slack.desk.look_up = gone  # the database dies after the ack
    dm = {"type": "message", "channel_type": "im", "channel": "D0AGENT", "user": AGENT,
          "text": "order 1001", "ts": "1700000001.000100"}  # fmt: skip
    assert (await pg_desk.event(dm, event_id="Ev0LATE")).status_code == 200
    [notice] = await pg_desk.api.wait_for("chat.postMessage")
    assert notice.args["channel"] == "D0AGENT" and RETRY_LATER in notice.text

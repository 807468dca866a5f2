"""A shopper's report in the chat arrives in Slack as a flag of its kind, with the evidence;
the same report again escalates that flag instead of raising another."""

from __future__ import annotations

from sqlmodel import select

from core.conversation.service import Conversation
from core.replies.reply import Inbound
from core.runtime.clock import ManualClock
from core.storage.models import Flag
from tests.integration.slack.conftest import ALERTS, Desk
from tests.unit.staff_data import build_shop


async def test_a_stuck_parcel_report_reaches_the_alerts_channel_with_its_evidence(
    desk: Desk, clock: ManualClock
) -> None:
    async with desk.database.transaction() as session:
        await build_shop(session, clock)
    conversation = Conversation(desk.database, clock, desk.services.config)

    async def say(text: str) -> list[str]:
        replies = await conversation.handle(Inbound("telegram", "777", text=text))
        return [r.intent for r in replies]

    assert await say("1001 jane.doe@example.com") == ["verify", "track_order"]
    assert await say("00340434161094042557 hasn't moved in days") == ["stuck"]
    await desk.deliver_outbox()
    [alert] = [c for c in desk.api.of("chat.postMessage") if c.args["channel"] == ALERTS]
    text = alert.text
    assert "Flag #1 on order 1001: Stuck" in text
    assert "Evidence" in text and "00340434161094042557: in_transit, last scan" in text
    assert "Latest carrier event: Arrived at hub" in text
    assert "Secret Lane" not in text and "jane.doe" not in text  # no address, no e-mail

    assert await say("my parcel 1001 is still stuck") == ["stuck"]
    await desk.deliver_outbox()
    alerts = [c for c in desk.api.of("chat.postMessage") if c.args["channel"] == ALERTS]
    assert len(alerts) == 2 and "Escalated" in alerts[1].text
    async with desk.database.session() as session:
        [flag] = (await session.exec(select(Flag))).all()
    assert (flag.kind, flag.escalations, flag.source) == ("stuck", 1, "shopper")

"""The staff side of the demo terminal: /staff shows the queue, its buttons act on the core,
alerts from the outbox arrive there, and a hand-off is taken over and answered."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from adapters.console import ConsoleChannel, ConsoleScreen, ConsoleSender
from adapters.console.sides import DemoSides, StaffAlerts
from adapters.console.staff import STAFF_ID, StaffConsole
from core.conversation.service import Conversation
from core.handoff import THREAD_CHANNEL
from core.pushes.dispatch import Dispatcher
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.sample import demo_shop as sample
from core.staff import Detector, raise_flag
from core.storage.db import Database
from core.storage.models import AuditEntry, Flag, ReturnRequest

NOW = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)  # a Wednesday, inside support hours
CONFIG = CoreConfig(
    secret_key="test",
    shop_name="Acme",
    quiet_hours_start=time(0),
    quiet_hours_end=time(0),
    slack_alerts_channel="demo-alerts",
    slack_support_channel="demo-support",
)


class Demo:
    """The demo's terminal with both sides, and the dispatcher that feeds it."""

    def __init__(self, db: Database, clock: ManualClock) -> None:
        self.out = io.StringIO()
        self.screen = ConsoleScreen(self.out, ZoneInfo("UTC"))
        conversation = Conversation(db, clock, CONFIG)
        shopper = ConsoleChannel(
            conversation.handle, self.screen, sender_id="demo", display_name="Alex Morgan"
        )
        self.alerts = StaffAlerts(self.screen)
        self.staff = StaffConsole(db, clock, CONFIG, self.screen)
        self.sides = DemoSides(shopper, self.staff, self.alerts, self.screen)
        senders = {
            "console": ConsoleSender(self.screen, {"demo"}),
            "slack": self.alerts,
            THREAD_CHANNEL: self.alerts,
        }
        self.dispatcher = Dispatcher(db, clock, senders)

    async def type(self, *lines: str) -> str:
        """Type lines; what the screen showed meanwhile."""
        start = self.out.tell()

        async def typed() -> AsyncIterator[str]:
            for line in lines:
                yield line

        await self.sides.run(typed())
        return self.out.getvalue()[start:]

    async def deliver(self) -> str:
        start = self.out.tell()
        await self.dispatcher.drain()
        return self.out.getvalue()[start:]

    def number(self, label: str) -> str:
        """The number to type for the button `label` on the screen now."""
        labels = [b.label for b in self.screen.choices]
        return str(labels.index(label) + 1)


@pytest.fixture
async def demo(db: Database, clock: ManualClock) -> Demo:
    clock.set(NOW)
    async with db.engine.begin() as connection:
        await sample.seed(connection, now=NOW, count=60)
        await sample.add_verified_identity(
            connection, now=NOW, channel="console", external_id="demo", follow=["1002"]
        )
    quiet = replace(CONFIG, slack_alerts_channel=None, notify_shopper_on_exception=False)
    await Detector(db, clock, quiet).run()
    return Demo(db, clock)


async def test_staff_switch_shows_the_queue_and_switches_back(demo: Demo) -> None:
    said = await demo.type("/staff")
    assert "Staff side" in said and "Support queue" in said
    assert "Open flags ·" in said and "Returns waiting for a decision ·" in said
    assert demo.screen.prompt == "staff › "
    said = await demo.type("/staff", "where is my order?")
    assert "Shopper side" in said and demo.screen.prompt == "you › "
    assert "1001 · On its way" in said  # the shopper's chat again, with its own buttons
    assert "Flag #" not in said.split("Shopper side")[1]


async def test_approve_and_resolve_from_the_queue_act_on_the_core(demo: Demo, db: Database) -> None:
    await demo.type("/staff")
    [approve] = [b for b in demo.screen.choices if b.action == "return_approve"][:1]
    return_id = int(approve.payload)
    said = await demo.type(demo.number(approve.label))
    assert f"Return #{return_id} is approved" in said
    [resolve] = [b for b in demo.screen.choices if b.action == "flag_resolve"][:1]
    flag_id = int(resolve.payload)
    said = await demo.type(demo.number(resolve.label))
    assert f"Resolve flag #{flag_id}: what was done?" in said
    said = await demo.type("Rebooked with the carrier")
    assert f"Flag #{flag_id} resolved" in said
    async with db.session() as session:
        request = await session.get(ReturnRequest, return_id)
        flag = await session.get(Flag, flag_id)
        actions = (
            await session.exec(select(AuditEntry.action).where(AuditEntry.actor == STAFF_ID))
        ).all()
    assert request is not None and request.state == "approved"
    assert flag is not None and flag.state == "resolved"
    assert flag.resolution_note == "Rebooked with the carrier"
    assert sorted(actions) == ["flag.resolve", "return.approved"]


async def test_decline_asks_for_a_reason_and_a_note(demo: Demo, db: Database) -> None:
    await demo.type("/staff")
    [decline] = [b for b in demo.screen.choices if b.action == "return_decline"][:1]
    said = await demo.type(demo.number(decline.label))
    assert "why?" in said
    said = await demo.type("Final sale", "Marked final sale at checkout")
    assert f"Return #{decline.payload} declined" in said
    async with db.session() as session:
        request = await session.get(ReturnRequest, int(decline.payload))
    assert request is not None and (request.state, request.decline_reason) == (
        "declined",
        "final_sale",
    )
    assert request.decline_note == "Marked final sale at checkout"


async def test_a_hand_off_alerts_the_staff_side_and_is_taken_over_and_answered(
    demo: Demo, db: Database
) -> None:
    said = await demo.type("talk to a person", "My parcel is late, can someone help?")
    assert "Flag #" not in said
    assert "🚨" not in await demo.deliver()  # kept: the staff side is hidden
    said = await demo.type("/staff")
    assert "Alerts that arrived while you were the shopper" in said
    assert "🚨 alert ›" in said and "would like to talk to a person" in said
    assert "Hand-offs waiting for a person · 1" in said
    take = next(b for b in demo.screen.choices if b.action == "handoff_take")
    said = await demo.type(demo.number(take.label))
    assert "the shopper is told" in said
    said = await demo.type("> Hi Alex, I'm looking at it now.")
    assert "Sent to the shopper" in said
    pushed = await demo.deliver()
    assert "🔔 update ›" in pushed and "I'm looking at it now." in pushed
    # The shopper's next message goes to the thread (the bot stays quiet), seen by staff.
    said = await demo.type("/staff", "Thank you!")
    assert "wismo ›" not in said.split("Shopper side")[1]
    assert "Thank you!" not in await demo.deliver()  # kept for the staff side
    said = await demo.type("/staff")
    assert "🚨 alert ›" in said and "Thank you!" in said


async def test_new_problems_arrive_as_alerts_with_buttons_that_work(
    demo: Demo, db: Database, clock: ManualClock
) -> None:
    await demo.type("/staff")
    async with db.transaction() as session:
        raised = await raise_flag(session, clock, CONFIG, 2, "lost", source="staff", note="gone")
    assert raised is not None
    shown = await demo.deliver()
    assert "🚨 alert ›" in shown and f"Flag #{raised.id}" in shown
    said = await demo.type(demo.number("Resolve"))
    assert f"Resolve flag #{raised.id}" in said
    await demo.type("Found it in the depot")
    async with db.session() as session:
        rows = (await session.exec(select(Flag).order_by(col(Flag.id).desc()))).first()
    assert rows is not None and rows.state == "resolved"

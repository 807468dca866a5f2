"""Both sides of wismo on one terminal (`wismo demo`): the shopper's chat and the staff side,
with `/staff` switching between them, and the Slack-bound alerts of the outbox shown there.

`StaffAlerts` is the outbox's sender for the channels that go to Slack in production
(staff alerts, return and hand-off cards, messages in hand-off threads): on the staff side
it prints them as they arrive, on the shopper's side it keeps them until `/staff`. Its
references look like Slack's ("CHANNEL:n"), so a hand-off thread is found from its card as
it is in Slack.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator

from adapters.console.channel import ConsoleChannel, quits
from adapters.console.screen import PROMPT, STAFF_PROMPT, ConsoleScreen
from adapters.console.staff import StaffConsole
from core.replies import Button, Reply, SendOutcome, Sent

ALERT = "🚨 alert › "
SWITCH = "/staff"
HELD_SHOWN = 10  # alerts kept while on the shopper's side; older ones are only counted

STAFF_BANNER = (
    "— Staff side: what your support team sees in Slack. The queue is their Home tab; "
    "alerts arrive as the carrier moves parcels. Type a button's number, an order number "
    "to look it up, “queue” to see the queue again, /staff for the shopper's side. —"
)
SHOPPER_BANNER = (
    "— Shopper side: you are the shopper again. /staff shows the support team's side. —"
)


class StaffAlerts:
    """Sender for the Slack-bound outbox channels in the demo."""

    def __init__(self, screen: ConsoleScreen) -> None:
        self.screen = screen
        self.showing = False
        self.held: list[Reply] = []
        self.missed = 0
        self._refs = itertools.count(1)
        self.sent: list[tuple[str, Reply]] = []

    async def send(self, recipient: str, reply: Reply) -> SendOutcome:
        """Show (or keep) the alert; the reference names the channel like Slack's."""
        channel = recipient.partition(":")[0]
        self.sent.append((recipient, reply))
        if self.showing:
            self.screen.show([reply], push=True, head=ALERT)
        else:
            self.held.append(reply)
            if len(self.held) > HELD_SHOWN:
                self.held.pop(0)
                self.missed += 1
        return Sent(ref=f"{channel}:{next(self._refs)}")

    def release(self) -> list[Reply]:
        """The alerts kept while the staff side was hidden (and forget them)."""
        held, self.held = self.held, []
        return held


class DemoSides:
    """Routes each line to the shopper's chat or to the staff side; `/staff` switches."""

    def __init__(
        self,
        shopper: ConsoleChannel,
        staff: StaffConsole,
        alerts: StaffAlerts,
        screen: ConsoleScreen,
    ) -> None:
        self.shopper = shopper
        self.staff = staff
        self.alerts = alerts
        self.screen = screen
        self._other_choices: list[Button] = []  # the numbered buttons of the hidden side

    @property
    def on_staff_side(self) -> bool:
        return self.alerts.showing

    async def switch(self) -> None:
        """Show the other side: its banner, its numbered buttons; the queue for staff."""
        self.screen.choices, self._other_choices = self._other_choices, self.screen.choices
        self.alerts.showing = not self.alerts.showing
        if not self.on_staff_side:
            self.screen.prompt = PROMPT
            self.screen.note(SHOPPER_BANNER)
            return
        self.screen.prompt = STAFF_PROMPT
        self.screen.note(STAFF_BANNER)
        held = self.alerts.release()
        if held:
            missed = (
                f" ({self.alerts.missed} older ones are in the queue)" if self.alerts.missed else ""
            )
            self.screen.note(f"Alerts that arrived while you were the shopper{missed or ''}:")
            self.alerts.missed = 0
            self.screen.show(held, push=True, head=ALERT)
        self.screen.show([await self.staff.queue()])

    async def run(self, lines: AsyncIterator[str]) -> int:
        """Answer every line until the input ends (or the user quits); returns lines answered."""
        answered = 0
        async for line in lines:
            if quits(line, interactive=self.screen.interactive):
                break
            if line.strip().lower() == SWITCH:
                await self.switch()
                continue
            side = self.staff if self.on_staff_side else self.shopper
            if await side.say(line):
                answered += 1
        return answered

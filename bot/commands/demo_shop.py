"""What `wismo demo` builds: the demo database, its guide text and its scheduler (imported by
the command's body, so that `wismo demo --help` loads none of it)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from adapters.carriers.simulated import SimulatedCarrier
from adapters.console import ConsoleChannel, ConsoleScreen, ConsoleSender, read_lines
from adapters.console.sides import DemoSides, StaffAlerts
from adapters.console.staff import StaffConsole
from bot.runtime import HttpServer, StartupError
from bot.scheduler import Jobs
from bot.services import Services
from core import sample
from core.conversation import Conversation
from core.handoff import THREAD_CHANNEL
from core.staff import Detector
from core.storage import schema
from core.tracking_page import page_urls_for_chat

DEMO_USER = "demo"
FOLLOWED = "1002"  # out for delivery: its next scan is a push the shopper sees

GUIDE = f"""\
wismo demo: {{orders}} sample orders; you are {sample.DEMO_SHOPPER_NAME} \
({sample.DEMO_SHOPPER_EMAIL}), already verified.
{{live}}
Try asking:
  hi
  where is my order?
  where is 1004?              (two parcels, one already delivered)
  follow 1001                 (pushes when it moves)
  I want to return order 1003
  talk to a person
Type a button's number or its label to press it; /staff switches to the support team's
side (their queue, alerts and buttons, as in Slack); /quit or Ctrl-D to leave.
"""
# Where the demo's staff alerts and hand-off threads "go": shown on the staff side.
DEMO_ALERTS_CHANNEL = "demo-alerts"
DEMO_SUPPORT_CHANNEL = "demo-support"
LIVE = (
    "A simulated carrier moves parcels every {seconds:g} s; you follow order {followed}, "
    "so its next scan appears here as a push."
)
STILL = "The simulated carrier is paused (scripted input, or --still), so answers repeat."


def remove_database(path: Path) -> None:
    """Delete the SQLite file and its WAL/shared-memory companions."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def build_demo_database(services: Services, orders: int) -> None:
    """Migrate, write the sample, and add the verified demo shopper following FOLLOWED."""
    await schema.upgrade(services.database.engine)
    now = services.clock.now()
    async with services.database.engine.begin() as connection:
        await sample.seed(connection, now=now, count=orders)
        await sample.add_verified_identity(
            connection,
            now=now,
            channel="console",
            external_id=DEMO_USER,
            follow=[FOLLOWED],
        )
    # What the shop's queue already held when the demo starts: the sample's late, stuck and
    # failed parcels, flagged quietly (no alert, no push); later problems alert as they come.
    quiet = replace(services.config, slack_alerts_channel=None, notify_shopper_on_exception=False)
    await Detector(services.database, services.clock, quiet).run()


async def serve_tracking_pages(services: Services, screen: ConsoleScreen) -> HttpServer | None:
    """Serve the HTTP app and print the demo shopper's tracking-page links (None: the port
    is taken, said on the screen; the chat works without it)."""
    http = HttpServer(services)
    try:
        await http.start()
    except StartupError as exc:
        screen.note(f"Tracking pages are off: {exc}")
        return None
    async with services.database.session() as session:
        links = await page_urls_for_chat(
            session, services.clock, services.config, "console", DEMO_USER
        )
    lines = [f"  {number}  {url}" for number, url in links]
    screen.note("Your orders' tracking pages (open them in a browser):\n" + "\n".join(lines))
    return http


def demo_jobs(services: Services, screen: ConsoleScreen, alerts: StaffAlerts) -> Jobs:
    """`wismo run`'s scheduler, with pushes and staff alerts printed here and the simulated
    carrier moving."""
    return Jobs(
        services,
        senders={
            "console": ConsoleSender(screen, {DEMO_USER}),
            "slack": alerts,
            THREAD_CHANNEL: alerts,
        },
        sources={},
        simulator=SimulatedCarrier(services.clock, seed=sample.DEMO_SEED),
    )


async def converse_both_sides(
    services: Services,
    screen: ConsoleScreen,
    alerts: StaffAlerts,
    *,
    display_name: str,
    staff_first: bool,
) -> int:
    """The demo's terminal: the shopper's chat and the staff side, `/staff` between them."""
    conversation = Conversation(services.database, services.clock, services.config)
    shopper = ConsoleChannel(
        conversation.handle, screen, sender_id=DEMO_USER, display_name=display_name
    )
    staff = StaffConsole(services.database, services.clock, services.config, screen)
    sides = DemoSides(shopper, staff, alerts, screen)
    if staff_first:
        await sides.switch()
    return await sides.run(read_lines(screen=screen))

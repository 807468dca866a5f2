"""`wismo demo`: a fresh sample shop, a simulated carrier, and a chat as the demo shopper."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from adapters.carriers.simulated import SimulatedCarrier
from adapters.console import ConsoleScreen, ConsoleSender
from bot.commands.chat import console_screen, converse, quiet_logging
from bot.commands.common import run, settings_or_exit
from bot.runtime import HttpServer, StartupError
from bot.scheduler import Jobs
from bot.services import Services, build_services
from core import sample
from core.storage import schema
from core.tracking_page import page_urls_for_chat

DEMO_USER = "demo"
DEMO_SHOP = "Northwind Outfitters"
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
Type a button's number to press it; /quit or Ctrl-D to leave.
"""
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


async def _tracking_pages(services: Services, screen: ConsoleScreen) -> HttpServer | None:
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


def demo_jobs(services: Services, screen: ConsoleScreen) -> Jobs:
    """`wismo run`'s scheduler, with pushes printed here and the simulated carrier moving."""
    return Jobs(
        services,
        senders={"console": ConsoleSender(screen, {DEMO_USER})},
        sources={},
        simulator=SimulatedCarrier(services.clock, seed=sample.DEMO_SEED),
    )


def command(
    database: Path = typer.Option(
        Path("data/demo.db"), "--database", help="The demo's SQLite file (recreated each time)."
    ),
    orders: int = typer.Option(
        sample.DEMO_ORDER_COUNT, "--orders", min=10, max=100_000, help="Sample orders to create."
    ),
    json_output: bool = typer.Option(
        False,
        "--json",
        help="Print one JSON object per reply: text, buttons, intent, order_number.",
    ),
    live: bool | None = typer.Option(
        None,
        "--live/--still",
        help="Run the simulated carrier and pushes (default: only when stdin is a terminal).",
    ),
) -> None:
    """A fresh demo shop and a terminal chat as its (already verified) demo shopper.

    Recreates the demo database, writes the sample orders, starts the simulated carrier
    and the push dispatcher, and reads one message per line. When standard input is not
    a terminal it answers every line and exits 0 at the end of input.
    """
    interactive = sys.stdin.isatty()
    moving = interactive if live is None else live
    demo_settings: dict[str, object] = {
        "database_url": f"sqlite+aiosqlite:///{database}",
        # Quiet hours would hold the demo's pushes until morning; start == end turns them off.
        "quiet_hours_start": "00:00",
        "quiet_hours_end": "00:00",
        "simulate_carrier": True,
    }
    settings = settings_or_exit(**demo_settings)
    if "shop_name" not in settings.model_fields_set:  # the sample shop has a name of its own
        settings = settings_or_exit(**demo_settings, shop_name=DEMO_SHOP)
    quiet_logging()
    remove_database(database)
    services = build_services(settings)
    screen = console_screen(services, json_mode=json_output)

    async def _go() -> None:
        jobs: Jobs | None = None
        http: HttpServer | None = None
        try:
            await build_demo_database(services, orders)
            live_line = (
                LIVE.format(seconds=settings.simulate_interval_seconds, followed=FOLLOWED)
                if moving
                else STILL
            )
            screen.note(GUIDE.format(orders=orders, live=live_line))
            http = await _tracking_pages(services, screen)
            if moving:
                jobs = demo_jobs(services, screen)
                await jobs.start()
            await converse(services, screen, user=DEMO_USER, display_name=sample.DEMO_SHOPPER_NAME)
        finally:
            if jobs is not None:
                # A demo's simulated scans are worth no wait: leave promptly on Ctrl-C.
                await jobs.stop(grace=1)
            if http is not None:
                await http.stop()
            await services.database.dispose()

    try:
        run(_go())
    except KeyboardInterrupt:
        typer.echo("")

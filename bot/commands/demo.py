"""`wismo demo`: a fresh sample shop, a simulated carrier, and a chat as the demo shopper."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from bot.commands.common import run, settings_or_exit
from core.sample import DEMO_ORDER_COUNT, DEMO_SHOPPER_NAME

DEMO_SHOP = "Northwind Outfitters"


def command(
    database: Path = typer.Option(
        Path("data/demo.db"), "--database", help="The demo's SQLite file (recreated each time)."
    ),
    orders: int = typer.Option(
        DEMO_ORDER_COUNT, "--orders", min=10, max=100_000, help="Sample orders to create."
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
    staff: bool = typer.Option(
        False,
        "--staff",
        help="Start on the support team's side (queue, alerts, buttons); /staff switches.",
    ),
) -> None:
    """A fresh demo shop and a terminal chat as its (already verified) demo shopper.

    Recreates the demo database, writes the sample orders, starts the simulated carrier
    and the push dispatcher, and reads one message per line. When standard input is not
    a terminal it answers every line and exits 0 at the end of input.
    """
    from adapters.console.sides import StaffAlerts
    from bot.commands.database import console_screen, quiet_logging
    from bot.commands.demo_shop import (
        DEMO_ALERTS_CHANNEL,
        DEMO_SUPPORT_CHANNEL,
        FOLLOWED,
        GUIDE,
        LIVE,
        STILL,
        build_demo_database,
        converse_both_sides,
        demo_jobs,
        remove_database,
        serve_tracking_pages,
    )
    from bot.runtime import HttpServer
    from bot.scheduler import Jobs
    from bot.services import build_services

    interactive = sys.stdin.isatty()
    moving = interactive if live is None else live
    demo_settings: dict[str, object] = {
        "database_url": f"sqlite+aiosqlite:///{database}",
        # Quiet hours would hold the demo's pushes until morning; start == end turns them off.
        "quiet_hours_start": "00:00",
        "quiet_hours_end": "00:00",
        "simulate_carrier": True,
        # The staff side (/staff) shows what Slack would get: alerts and hand-off threads.
        "slack_alerts_channel": DEMO_ALERTS_CHANNEL,
        "slack_support_channel": DEMO_SUPPORT_CHANNEL,
    }
    settings = settings_or_exit(**demo_settings)
    if "shop_name" not in settings.model_fields_set:  # the sample shop has a name of its own
        demo_settings["shop_name"] = DEMO_SHOP
    if "detect_interval_seconds" not in settings.model_fields_set:
        # Problems the simulated carrier causes reach the staff side as they happen.
        demo_settings["detect_interval_seconds"] = settings.simulate_interval_seconds
    settings = settings_or_exit(**demo_settings)
    quiet_logging()
    remove_database(database)
    services = build_services(settings)
    screen = console_screen(services, json_mode=json_output)
    alerts = StaffAlerts(screen)

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
            http = await serve_tracking_pages(services, screen)
            if moving:
                jobs = demo_jobs(services, screen, alerts)
                await jobs.start()
            await converse_both_sides(
                services, screen, alerts, display_name=DEMO_SHOPPER_NAME, staff_first=staff
            )
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

"""`wismo seed --demo`: write the sample shop (shoppers, orders, shipments, scans)."""

from __future__ import annotations

import json
import sys

import typer

from bot.commands.common import EXIT_SCHEMA, run, settings_or_exit
from core.sample import DEMO_ORDER_COUNT, DEMO_SEED

EXIT_NUMBERS_TAKEN = 1
EXIT_USAGE = 2
_PROGRESS_FROM = 20_000  # orders; smaller samples are written before a bar would show


def command(
    demo: bool = typer.Option(
        False, "--demo", help="Write the demo sample (the only data set wismo ships)."
    ),
    orders: int = typer.Option(
        DEMO_ORDER_COUNT, "--orders", min=1, max=5_000_000, help="How many orders."
    ),
    seed: int = typer.Option(DEMO_SEED, "--seed", help="Random seed: same seed, same data."),
    json_output: bool = typer.Option(
        False, "--json", help="Print the orders written as a JSON list (number, email, status, …)."
    ),
) -> None:
    """Write sample orders to WISMO_DATABASE_URL, numbered from 1001.

    The demo shopper (alex.morgan@example.com) owns orders 1001-1006. Refuses, writing
    nothing, when any of the numbers is already taken (exit 1).
    """
    if not demo:
        typer.secho("error: nothing to seed; pass --demo", err=True, fg=typer.colors.RED)
        raise typer.Exit(EXIT_USAGE)
    settings = settings_or_exit()
    from rich.console import Console
    from rich.progress import Progress

    from bot.commands.database import prepare_database
    from bot.services import build_services
    from core import sample
    from core.insights import rollups
    from core.storage import UnknownSchemaError, refresh_planner_statistics

    services = build_services(settings)
    bulk = orders > sample.DEMO_ORDER_COUNT * 10

    async def _go() -> list[sample.SampleOrder]:
        try:
            await prepare_database(services.database)
            with Progress(console=Console(file=sys.stderr), transient=True,
                          disable=orders < _PROGRESS_FROM) as progress:  # fmt: skip
                task = progress.add_task("writing orders", total=orders)
                async with services.database.engine.begin() as connection:
                    written = await sample.seed(
                        connection,
                        now=services.clock.now(),
                        count=orders,
                        seed_value=seed,
                        bulk=bulk,
                        keep_summaries=json_output or not bulk,
                        on_batch=lambda done: progress.update(task, completed=done),
                    )
            await refresh_planner_statistics(services.database.engine)
            async with services.database.transaction() as session:
                # Seeded rows carry their history's stamps: the insights rollups start over.
                await rollups.rebuild_later(session)
            return written
        finally:
            await services.database.dispose()

    try:
        written = run(_go())
    except sample.NumbersTaken as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(EXIT_NUMBERS_TAKEN) from None
    except UnknownSchemaError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(EXIT_SCHEMA) from None
    if json_output:
        typer.echo(json.dumps([order.to_dict() for order in written], indent=1))
        return
    last = sample.FIRST_ORDER_NUMBER + orders - 1
    typer.echo(
        f"wrote {orders} orders ({sample.FIRST_ORDER_NUMBER}-{last}); "
        f"demo shopper: {sample.DEMO_SHOPPER_EMAIL}"
    )

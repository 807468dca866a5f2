"""`wismo chat`: talk to the bot on this terminal, as a console user of the configured database."""

from __future__ import annotations

import typer

from bot.commands.common import EXIT_SCHEMA, run, settings_or_exit

DEFAULT_USER = "console"


def command(
    user: str = typer.Option(
        DEFAULT_USER, "--user", help="Console user id to chat as (each id is its own chat)."
    ),
    json_output: bool = typer.Option(
        False,
        "--json",
        help="Print one JSON object per reply: text, buttons, intent, order_number.",
    ),
) -> None:
    """Chat with the bot on this terminal against WISMO_DATABASE_URL.

    Reads one message per line; type a button's number (or its label) to press it. When
    standard input is not a terminal, answers every line and exits 0 at the end of input.
    A new console user is not verified: prove an order is yours with its number and e-mail.
    """
    if not user.strip() or len(user) > 128:
        typer.secho("error: --user must be 1 to 128 characters", err=True, fg=typer.colors.RED)
        raise typer.Exit(2)
    settings = settings_or_exit()
    from bot.commands.database import console_screen, converse, prepare_database, quiet_logging
    from bot.services import build_services
    from core.storage import UnknownSchemaError

    quiet_logging()
    services = build_services(settings)

    async def _go() -> None:
        try:
            await prepare_database(services.database)
            await converse(services, console_screen(services, json_mode=json_output), user=user)
        finally:
            await services.database.dispose()

    try:
        run(_go())
    except UnknownSchemaError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(EXIT_SCHEMA) from None
    except KeyboardInterrupt:
        typer.echo("")

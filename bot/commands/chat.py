"""`wismo chat`: talk to the bot on this terminal, as a console user of the configured database."""

from __future__ import annotations

import logging
import sys
from zoneinfo import ZoneInfo

import typer

from adapters.console import ConsoleChannel, ConsoleScreen, read_lines
from bot.commands.common import EXIT_SCHEMA, run, settings_or_exit
from bot.services import Services, build_services
from core.conversation import Conversation
from core.storage import Database, UnknownSchemaError, schema

DEFAULT_USER = "console"


async def prepare_database(database: Database) -> None:
    """Migrate SQLite on first use (as `wismo run` does); any database must be at our schema."""
    if database.is_sqlite:
        await schema.upgrade(database.engine)
    await schema.ensure_current(database.engine)


def quiet_logging(level: int = logging.WARNING) -> None:
    """Log warnings and worse to stderr only: stdout belongs to the chat (and to --json)."""
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )


def console_screen(services: Services, *, json_mode: bool) -> ConsoleScreen:
    """The screen for stdout: interactive (prompt, numbered picks) only on a real terminal."""
    return ConsoleScreen(
        sys.stdout,
        ZoneInfo(services.config.timezone),
        json_mode=json_mode,
        interactive=sys.stdin.isatty() and not json_mode,
    )


async def converse(
    services: Services, screen: ConsoleScreen, *, user: str, display_name: str = ""
) -> int:
    """Run the console channel for `user` until the input ends; returns lines answered."""
    conversation = Conversation(services.database, services.clock, services.config)
    channel = ConsoleChannel(conversation.handle, screen, sender_id=user, display_name=display_name)
    return await channel.run(read_lines(screen=screen))


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

    Reads one message per line; type a button's number to press it. When standard input
    is not a terminal, answers every line and exits 0 at the end of input.
    A new console user is not verified: prove an order is yours with its number and e-mail.
    """
    if not user.strip() or len(user) > 128:
        typer.secho("error: --user must be 1 to 128 characters", err=True, fg=typer.colors.RED)
        raise typer.Exit(2)
    settings = settings_or_exit()
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

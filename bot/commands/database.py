"""The database and console plumbing sub-commands share; imported by a command's body only,
so that `wismo --help` loads none of it (SQLAlchemy, the services, the console channel)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import typer
from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.console import ConsoleChannel, ConsoleScreen, read_lines
from bot.commands.common import EXIT_SCHEMA, run
from bot.services import Services
from core.conversation import Conversation
from core.storage import Database, schema

T = TypeVar("T")


async def prepare_database(database: Database) -> None:
    """Migrate SQLite on first use (as `wismo run` does); any database must be at our schema."""
    if database.is_sqlite:
        await schema.upgrade(database.engine)
    await schema.ensure_current(database.engine)


async def prepared_database(url: str) -> Database:
    """A Database at the schema this code knows (SQLite is migrated on first use, as by run)."""
    database = Database(url)
    try:
        await prepare_database(database)
    except BaseException:
        await database.dispose()
        raise
    return database


async def with_database(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in one transaction on a prepared database, then close it."""
    database = await prepared_database(url)
    try:
        async with database.transaction() as session:
            return await work(session)
    finally:
        await database.dispose()


def run_checked(coro: Coroutine[Any, Any, T]) -> T:
    """Run `coro`; an unknown schema is an error message and exit code EXIT_SCHEMA."""
    try:
        return run(coro)
    except schema.UnknownSchemaError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(EXIT_SCHEMA) from None


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

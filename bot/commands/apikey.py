"""`wismo apikey`: create, list and revoke the keys the ingest API accepts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands.common import EXIT_SCHEMA, run, settings_or_exit
from core.ingest import apikeys
from core.runtime import SystemClock
from core.storage import Database, schema

app = typer.Typer(help="API keys for the ingest API (/api/v1).", no_args_is_help=True)

EXIT_KEY_ERROR = 1


T = TypeVar("T")


async def prepared_database(url: str) -> Database:
    """A Database at the schema this code knows (SQLite is migrated on first use, as by run)."""
    database = Database(url)
    try:
        if database.is_sqlite:
            await schema.upgrade(database.engine)
        await schema.ensure_current(database.engine)
    except BaseException:
        await database.dispose()
        raise
    return database


async def _with_database(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    database = await prepared_database(url)
    try:
        async with database.transaction() as session:
            return await work(session)
    finally:
        await database.dispose()


def run_checked(coro: Coroutine[Any, Any, T]) -> T:
    try:
        return run(coro)
    except schema.UnknownSchemaError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(EXIT_SCHEMA) from None


@app.command("create")
def create(
    name: str = typer.Argument(..., help="A name for the caller, e.g. 'shop' or 'wms'."),
) -> None:
    """Create a key and print it ONCE; only its hash is stored."""
    settings = settings_or_exit()
    clock = SystemClock()
    try:
        created = run_checked(
            _with_database(
                settings.database_url, lambda session: apikeys.create_key(session, clock, name)
            )
        )
    except apikeys.ApiKeyError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(EXIT_KEY_ERROR) from None
    typer.echo(created.secret)
    typer.secho(
        f"API key {created.name!r} created. Store it now: it is not shown again.\n"
        f"Send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.",
        err=True,
    )


@app.command("revoke")
def revoke(name: str = typer.Argument(..., help="The key's name.")) -> None:
    """Revoke a key; requests carrying it get 401 from now on."""
    settings = settings_or_exit()
    clock = SystemClock()
    try:
        key = run_checked(
            _with_database(
                settings.database_url, lambda session: apikeys.revoke_key(session, clock, name)
            )
        )
    except apikeys.ApiKeyError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(EXIT_KEY_ERROR) from None
    typer.echo(f"API key {key.name!r} revoked")


@app.command("list")
def list_() -> None:
    """List keys: name, prefix, created, last used, revoked. Never the keys themselves."""
    settings = settings_or_exit()
    keys = run_checked(_with_database(settings.database_url, apikeys.list_keys))
    if not keys:
        typer.echo("no API keys; create one with `wismo apikey create NAME`")
        return
    table = Table("name", "key starts", "created", "last used", "state")
    for key in keys:
        table.add_row(
            key.name,
            f"{apikeys.KEY_PREFIX}_{key.prefix}_…",
            key.created_at.strftime("%Y-%m-%d %H:%M"),
            key.last_used_at.strftime("%Y-%m-%d %H:%M") if key.last_used_at else "never",
            f"revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "active",
        )
    Console(width=120).print(table)

"""`wismo apikey`: create, list, rotate, revoke and delete the keys the ingest API accepts."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import typer

from bot.cli_format import PlainGroup
from bot.commands.common import settings_or_exit

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from sqlmodel.ext.asyncio.session import AsyncSession

app = typer.Typer(
    help="API keys for the ingest API (/api/v1).", no_args_is_help=True, cls=PlainGroup
)

EXIT_KEY_ERROR = 1

_GRACE = re.compile(r"^\s*(\d+)\s*([mhd])\s*$", re.IGNORECASE)
_GRACE_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def parse_grace(value: str) -> timedelta:
    """'0', '30m', '24h', '7d' as a period; BadParameter naming --grace otherwise."""
    if value.strip() == "0":
        return timedelta(0)
    match = _GRACE.match(value)
    if not match:
        raise typer.BadParameter(
            f"{value!r} is not a period like 0, 30m, 24h or 7d", param_hint="--grace"
        )
    return timedelta(**{_GRACE_UNITS[match.group(2).lower()]: int(match.group(1))})


def _key_work(work: Callable[[AsyncSession, Any], Awaitable[Any]]) -> Any:
    """Run `work(session, clock)` on WISMO_DATABASE_URL; a key error is exit 1 with its reason."""
    settings = settings_or_exit()
    from bot.commands.database import run_checked, with_database
    from core.ingest import apikeys
    from core.runtime import SystemClock

    clock = SystemClock()
    try:
        return run_checked(
            with_database(settings.database_url, lambda session: work(session, clock))
        )
    except apikeys.ApiKeyError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(EXIT_KEY_ERROR) from None


def _print_new_key(secret: str, note: str) -> None:
    typer.echo(secret)
    typer.secho(
        f"{note} Store it now: it is not shown again.\n"
        f"Send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.",
        err=True,
    )


@app.command("create")
def create(
    name: str = typer.Argument(..., help="A name for the caller, e.g. 'shop' or 'wms'."),
) -> None:
    """Create a key and print it ONCE; only its hash is stored.

    The name of a revoked key can be used again.
    """
    from core.ingest import apikeys

    created = _key_work(lambda session, clock: apikeys.create_key(session, clock, name))
    _print_new_key(created.secret, f"API key {created.name!r} created.")


@app.command("rotate")
def rotate(
    name: str = typer.Argument(..., help="The key's name."),
    grace: str = typer.Option(
        "24h", "--grace", help="How long the old key keeps working: 0, 30m, 24h, 7d."
    ),
) -> None:
    """Replace a key with a new one under the same name and print the new key ONCE.

    The old key keeps working for the grace period, so callers can switch over, and is
    refused after it.
    """
    from core.ingest import apikeys

    period = parse_grace(grace)
    created = _key_work(
        lambda session, clock: apikeys.rotate_key(session, clock, name, grace=period)
    )
    until = "stops working now" if not period else f"keeps working for {grace.strip()}"
    _print_new_key(created.secret, f"API key {created.name!r} rotated; the old key {until}.")


@app.command("revoke")
def revoke(name: str = typer.Argument(..., help="The key's name.")) -> None:
    """Revoke a key; requests carrying it get 401 from now on. Its name can be used again."""
    from core.ingest import apikeys

    _key_work(lambda session, clock: apikeys.revoke_key(session, clock, name))
    typer.echo(f"API key {name!r} revoked")


@app.command("delete")
def delete(name: str = typer.Argument(..., help="The key's name.")) -> None:
    """Delete a key and its older, rotated keys; requests carrying them get 401 from now on."""
    from core.ingest import apikeys

    count = _key_work(lambda session, clock: apikeys.delete_key(session, name))
    typer.echo(f"API key {name!r} deleted" + (f" ({count} keys)" if count > 1 else ""))


@app.command("list")
def list_() -> None:
    """List keys: name, prefix, created, last used, state. Never the keys themselves."""
    from rich.console import Console
    from rich.table import Table

    from core.ingest import apikeys
    from core.runtime import SystemClock

    keys = _key_work(lambda session, clock: apikeys.list_keys(session))
    if not keys:
        typer.echo("no API keys; create one with `wismo apikey create NAME`")
        return
    now = SystemClock().now()
    table = Table("name", "key starts", "created", "last used", "state")
    for key in keys:
        if key.revoked_at is None:
            state = "active"
        elif apikeys.is_active(key, now):
            state = f"old key, works until {key.revoked_at:%Y-%m-%d %H:%M}"
        else:
            state = f"revoked {key.revoked_at:%Y-%m-%d %H:%M}"
        table.add_row(
            apikeys.display_name(key),
            f"{apikeys.KEY_PREFIX}_{key.prefix}_…",
            key.created_at.strftime("%Y-%m-%d %H:%M"),
            key.last_used_at.strftime("%Y-%m-%d %H:%M") if key.last_used_at else "never",
            state,
        )
    Console(width=120).print(table)

"""`wismo db`: schema migrations."""

from __future__ import annotations

import typer

from bot.cli_format import PlainGroup
from bot.commands.common import EXIT_SCHEMA, run, settings_or_exit

app = typer.Typer(
    help="Database schema: upgrade, show the current revision.",
    no_args_is_help=True,
    cls=PlainGroup,
)


@app.command("upgrade")
def upgrade() -> None:
    """Apply every pending migration to WISMO_DATABASE_URL (creates the database if empty)."""
    settings = settings_or_exit()
    from core.storage import Database, schema

    async def _go() -> str | None:
        database = Database(settings.database_url)
        try:
            await schema.upgrade(database.engine)
            return await schema.current_revision(database.engine)
        finally:
            await database.dispose()

    try:
        revision = run(_go())
    except schema.UnknownSchemaError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(EXIT_SCHEMA) from None
    typer.echo(f"database at revision {revision} (newest: {schema.head_revision()})")


@app.command("current")
def current() -> None:
    """Print the schema revision of WISMO_DATABASE_URL."""
    settings = settings_or_exit()
    from core.storage import Database, schema

    async def _go() -> str | None:
        database = Database(settings.database_url)
        try:
            return await schema.current_revision(database.engine)
        finally:
            await database.dispose()

    try:
        revision = run(_go())
    except schema.UnknownSchemaError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(EXIT_SCHEMA) from None
    typer.echo(revision or "empty")

"""`wismo run`: the service."""

from __future__ import annotations

import typer

from bot.commands.common import EXIT_SCHEMA, run, settings_or_exit


def command() -> None:
    """Run the service: HTTP app (health, webhooks, ingest API), scheduler, configured channels.

    Channels start when their credentials are set (WISMO_TELEGRAM_TOKEN, WISMO_SLACK_BOT_TOKEN).
    Stops cleanly on SIGTERM or Ctrl-C. Exit 1: the database cannot be reached or the HTTP
    port cannot be opened; 2: a bad setting; 3: the database schema is not this version's.
    """
    settings = settings_or_exit()
    from bot.logs import configure_logging
    from bot.runtime import StartupError, serve
    from bot.services import build_services
    from core.storage import UnknownSchemaError

    configure_logging(settings)
    try:
        run(serve(build_services(settings)))
    except UnknownSchemaError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(EXIT_SCHEMA) from None
    except StartupError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from None

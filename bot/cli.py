"""`wismo`: the command line. Each sub-command lives in `bot/commands/`; this file wires them."""

from __future__ import annotations

import typer

from bot import __version__
from bot.commands import apikey, chat, db, demo, importer, link, run, seed
from bot.commands import insights as insights_command

app = typer.Typer(
    name="wismo",
    help="Self-hosted 'where is my order?' service: Telegram for shoppers, Slack for staff.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.command("run")(run.command)
app.add_typer(apikey.app, name="apikey")
app.command("import")(importer.command)
app.command("insights")(insights_command.command)
app.command("demo")(demo.command)
app.command("chat")(chat.command)
app.command("seed")(seed.command)
app.command("link")(link.command)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wismo {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """wismo answers shoppers' "where is my order?" on Telegram and helps staff in Slack."""


def main() -> None:
    """Console-script entry point."""
    app()

"""`wismo`: the command line. Each sub-command lives in `bot/commands/`; this file wires them."""

from __future__ import annotations

import inspect

import typer
from typer.core import TyperCommand

from bot import __version__
from bot.cli_format import PlainCommand, PlainGroup
from bot.commands import apikey, chat, db, demo, importer, link, run, seed
from bot.commands import insights as insights_command

app = typer.Typer(
    name="wismo",
    cls=PlainGroup,
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


def _reflow(text: str) -> str:
    """Join each paragraph's lines: Typer's Rich help keeps a docstring's line breaks, which
    cut sentences in two at any terminal width."""
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


def _reflow_help(typer_app: typer.Typer) -> None:
    for info in typer_app.registered_commands:
        if info.cls in (None, TyperCommand):  # Typer's default: name things as the README does
            info.cls = PlainCommand
        doc = info.help or (info.callback.__doc__ if info.callback else None)
        if doc:
            info.help = _reflow(doc)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _reflow_help(group.typer_instance)


_reflow_help(app)


def main() -> None:
    """Console-script entry point."""
    app()

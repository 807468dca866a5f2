"""Helpers shared by sub-commands: settings with a clear error, running a coroutine.

Light on purpose: every command module imports this at start-up, and `wismo --help` must
not pay for pydantic-settings or asyncio before a command actually runs."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from bot.settings import Settings

T = TypeVar("T")

EXIT_CONFIG = 2  # a setting is wrong
EXIT_SCHEMA = 3  # the database schema is unknown or not upgraded


def settings_or_exit(**overrides: Any) -> Settings:
    """Load settings, or print which one is wrong and exit with EXIT_CONFIG."""
    from bot.settings import SettingsError, load_settings

    try:
        return load_settings(**overrides)
    except SettingsError as exc:
        typer.secho(f"error: bad setting: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(EXIT_CONFIG) from None


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion in a fresh event loop: uvloop's where it is installed.

    Its network I/O and callbacks cost the service less Python time than asyncio's own
    loop (README, Performance: more answers/s and a quicker webhook 200)."""
    import asyncio

    try:
        import uvloop
    except ImportError:  # Windows: asyncio's own loop
        return asyncio.run(coro)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coro)

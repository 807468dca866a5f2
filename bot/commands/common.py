"""Helpers shared by sub-commands: settings with a clear error, running a coroutine."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

import typer

from bot.settings import Settings, SettingsError, load_settings

T = TypeVar("T")

EXIT_CONFIG = 2  # a setting is wrong
EXIT_SCHEMA = 3  # the database schema is unknown or not upgraded


def settings_or_exit(**overrides: Any) -> Settings:
    """Load settings, or print which one is wrong and exit with EXIT_CONFIG."""
    try:
        return load_settings(**overrides)
    except SettingsError as exc:
        typer.secho(f"error: bad setting: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(EXIT_CONFIG) from None


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion in a fresh event loop."""
    return asyncio.run(coro)

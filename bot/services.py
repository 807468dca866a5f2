"""The composition root's product: every collaborator, built once at start and passed down."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.settings import Settings
from core.clock import Clock, SystemClock
from core.db import Database


@dataclass
class Services:
    settings: Settings
    database: Database
    clock: Clock
    # Channel name -> core.ports.Sender, filled by the channels that are configured.
    senders: dict[str, Any] = field(default_factory=dict)


def build_services(settings: Settings, *, clock: Clock | None = None) -> Services:
    """Build the database and clock for `settings`. Creates no network client."""
    return Services(
        settings=settings, database=Database(settings.database_url), clock=clock or SystemClock()
    )

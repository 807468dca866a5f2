"""The composition root's product: every collaborator, built once at start and passed down."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import Any

from bot.carriers import build_carrier_sources
from bot.metrics import Metrics
from bot.settings import Settings
from core.pushes import SharedPace
from core.runtime import Clock, CoreConfig, SystemClock
from core.staff import parse_routes
from core.storage import Database

log = logging.getLogger(__name__)


def _clock_time(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def core_config(settings: Settings) -> CoreConfig:
    """The core's plain configuration, copied from the settings."""
    return CoreConfig(
        secret_key=settings.secret_key,
        shop_name=settings.shop_name,
        timezone=settings.timezone,
        order_number_pattern=settings.order_number_pattern,
        default_language=settings.default_language,
        telegram_bot_username=settings.telegram_bot_username,
        verify_max_attempts=settings.verify_max_attempts,
        verify_window=timedelta(minutes=settings.verify_window_minutes),
        link_token_ttl=timedelta(hours=settings.link_token_ttl_hours),
        public_url=settings.public_base_url,
        tracking_link_ttl=timedelta(days=settings.tracking_link_ttl_days),
        quiet_hours_start=_clock_time(settings.quiet_hours_start),
        quiet_hours_end=_clock_time(settings.quiet_hours_end),
        quiet_hours_mode=settings.quiet_hours_mode,
        live_status_channels=("telegram",) if settings.live_status else (),
        poll_every=timedelta(minutes=settings.poll_every_minutes),
        stuck_after=timedelta(hours=settings.stuck_after_hours),
        dispatch_max_attempts=settings.dispatch_max_attempts,
        notify_shopper_on_exception=settings.notify_shopper_on_exception,
        slack_alerts_channel=settings.slack_alerts_channel,
        slack_routes=parse_routes(settings.slack_routes),
        slack_support_channel=settings.slack_support_channel,
        return_window=timedelta(days=settings.return_window_days),
        return_address=settings.return_address,
        return_label_url_template=settings.return_label_url_template,
        support_contact=settings.support_contact,
        support_hours=settings.support_hours,
        support_days=settings.support_days,
        support_timezone=settings.support_timezone,
        handoff_idle=timedelta(hours=settings.handoff_idle_hours),
        handoff_note_marker=settings.slack_note_marker,
        not_received_wait=timedelta(hours=settings.not_received_wait_hours),
    )


@dataclass
class Services:
    settings: Settings
    database: Database
    clock: Clock
    config: CoreConfig
    # Channel name -> core.replies.sender.Sender, filled by the channels that are configured.
    senders: dict[str, Any] = field(default_factory=dict)
    # The Telegram channel (adapters.telegram.TelegramChannel) once built; its webhook needs it.
    telegram: Any = None
    # The Slack channel (adapters.slack.app.SlackChannel) once built; /slack/events needs it.
    slack: Any = None
    # Prometheus metrics served on /metrics (bot.metrics); a registry of its own per service.
    metrics: Metrics = field(default_factory=Metrics)
    # Carrier name (lower-case, or "*" for any) -> core.ingest.polling.CarrierSource, polled by the
    # scheduler's poll job for shipments whose next_poll_at is due.
    carrier_sources: dict[str, Any] = field(default_factory=dict)


def build_services(settings: Settings, *, clock: Clock | None = None) -> Services:
    """Build the database, clock and core configuration. Creates no network client."""
    clock = clock or SystemClock()
    return Services(
        settings=settings,
        database=Database(settings.database_url),
        clock=clock,
        config=core_config(settings),
        carrier_sources=build_carrier_sources(settings, clock),
    )


# A shared limit is that many slot rows, all named in every send's claim: above this no
# platform limits a bot (only a local Bot API server is that fast), and each replica
# paces itself instead of paying a database round trip over a million names per send.
MAX_SHARED_RATE = 1_000.0


def shared_pace(services: Services, limit: str, per_second: float) -> SharedPace | None:
    """Send slots shared by every replica on PostgreSQL; None on SQLite (one process) or
    for a limit above MAX_SHARED_RATE a second (each replica then paces itself)."""
    if services.database.is_sqlite:
        return None
    if per_second > MAX_SHARED_RATE:
        log.info(
            "%s limit of %s/s is above %s/s: each replica paces itself, not shared",
            limit, per_second, MAX_SHARED_RATE,
        )  # fmt: skip
        return None
    return SharedPace(services.database, limit, per_second)

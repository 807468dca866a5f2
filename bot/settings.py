"""Every setting, from `WISMO_*` environment variables or `.env`, validated at start.

`.env.example` lists each one with its default; keep the two in step.
"""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from core.handoff import parse_days, parse_hours
from core.staff import parse_routes

PLACEHOLDER_SECRET = "change-me"
_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="WISMO_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # General
    env: Literal["development", "production"] = "development"
    secret_key: str = PLACEHOLDER_SECRET
    database_url: str = "sqlite+aiosqlite:///./data/wismo.db"
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=0, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    timezone: str = "UTC"
    shop_name: str = "the shop"  # read mid-sentence: "I'm the order assistant for the shop"
    order_number_pattern: str = r"\d{3,10}"  # how the shop's order numbers look
    # The language of a chat that has said nothing wismo can tell a language from, and whose
    # app reports none wismo speaks: en, de, fr or es.
    default_language: Literal["en", "de", "fr", "es"] = "en"

    # Shopper verification
    verify_max_attempts: int = Field(default=5, ge=1)
    verify_window_minutes: int = Field(default=60, ge=1)
    link_token_ttl_hours: int = Field(default=72, ge=1)

    # The tracking page (/t/<token>)
    public_url: str | None = None  # e.g. https://track.example.com; default http://host:port
    tracking_link_ttl_days: int = Field(default=90, ge=1, le=3650)

    # Telegram
    telegram_token: str | None = None
    telegram_bot_username: str = "wismo_bot"
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_mode: Literal["polling", "webhook"] = "polling"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = None
    telegram_rate_global: float = Field(default=30.0, gt=0)
    telegram_rate_per_chat: float = Field(default=1.0, gt=0)

    # Slack
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_staff_users: str = ""  # comma-separated Slack user ids
    slack_staff_channel: str | None = None
    slack_alerts_channel: str | None = None
    slack_support_channel: str | None = None
    # Alert kind (and carrier) -> channel: "late=C0LATE,stuck:dhl=C0DHL" (core.staff.routes).
    slack_routes: str = ""
    # A hand-off thread message starting with this stays in Slack (an internal note).
    slack_note_marker: str = Field(default="note:", min_length=1, max_length=20)
    slack_rate_per_channel: float = Field(default=1.0, gt=0)

    # Jobs
    poll_interval_seconds: float = Field(default=60.0, gt=0)
    poll_every_minutes: int = Field(default=120, ge=1)  # how often one shipment is re-polled
    dispatch_interval_seconds: float = Field(default=2.0, gt=0)
    dispatch_batch_size: int = Field(default=100, ge=1)
    dispatch_max_attempts: int = Field(default=8, ge=1)
    detect_interval_seconds: float = Field(default=300.0, gt=0)
    digest_time: str = "09:00"  # local time, in WISMO_TIMEZONE
    stuck_after_hours: int = Field(default=72, ge=1)
    quiet_hours_start: str = "21:00"
    quiet_hours_end: str = "08:00"
    quiet_hours_mode: Literal["hold", "silent"] = "hold"
    live_status: bool = True  # one Telegram message per followed order, edited as scans arrive
    notify_shopper_on_exception: bool = True
    simulate_carrier: bool = False
    simulate_interval_seconds: float = Field(default=5.0, gt=0)

    # Ingest
    max_request_bytes: int = Field(default=2_000_000, ge=1024)
    aftership_webhook_secret: str | None = None
    easypost_webhook_secret: str | None = None
    shopify_webhook_secret: str | None = None
    aftership_api_key: str | None = None
    aftership_api_url: str = "https://api.aftership.com/tracking/2024-10/"

    # Returns and support
    return_window_days: int = Field(default=30, ge=0)
    return_address: str = ""
    return_label_url_template: str = ""  # e.g. https://shop.example/labels/{rma}
    support_contact: str = ""  # e.g. "help@shop.example or +1 555 0100", shown to shoppers
    support_hours: str = "09:00-17:00"
    support_days: str = "mon-fri"
    support_timezone: str | None = None
    handoff_idle_hours: int = Field(default=24, ge=1)
    # "Delivered but not received": hours after delivery before a staff case opens (0: at once).
    not_received_wait_hours: int = Field(default=24, ge=0, le=24 * 30)

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
            raise ValueError(
                f"expected an address such as https://track.example.com, got {value!r}"
            )
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        expected = (
            "expected sqlite+aiosqlite:///path/to/wismo.db or "
            "postgresql+asyncpg://user:password@host/db"
        )
        try:
            url = make_url(value)
        except ArgumentError:
            # Not echoed: a mistyped URL may still hold the password.
            raise ValueError(f"not a database URL; {expected}") from None
        # Hosting platforms hand out postgres:// URLs; wismo talks to PostgreSQL via asyncpg.
        driver = _DRIVERS.get(url.drivername)
        if driver is None:
            raise ValueError(f"{expected}, got a {url.drivername!r} URL")
        if driver == url.drivername:
            return value
        return url.set(drivername=driver).render_as_string(hide_password=False)

    @field_validator("timezone", "support_timezone")
    @classmethod
    def _known_timezone(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("slack_routes")
    @classmethod
    def _slack_routes(cls, value: str) -> str:
        parse_routes(value)  # raises ValueError saying which route is wrong
        return value

    @field_validator("support_hours")
    @classmethod
    def _support_hours(cls, value: str) -> str:
        parse_hours(value)  # raises ValueError with the expected format
        return value

    @field_validator("support_days")
    @classmethod
    def _support_days(cls, value: str) -> str:
        parse_days(value)
        return value

    @field_validator("return_label_url_template")
    @classmethod
    def _label_template(cls, value: str) -> str:
        if value and "{rma}" not in value:
            raise ValueError("must contain {rma}, e.g. https://shop.example/labels/{rma}")
        return value

    @field_validator("digest_time", "quiet_hours_start", "quiet_hours_end")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        hours, _, minutes = value.partition(":")
        if not (
            hours.isdigit()
            and minutes.isdigit()
            and 0 <= int(hours) < 24
            and 0 <= int(minutes) < 60
        ):
            raise ValueError(f"expected HH:MM, got {value!r}")
        return value

    @model_validator(mode="after")
    def _production_needs_secrets(self) -> Settings:
        if self.env == "production" and self.secret_key == PLACEHOLDER_SECRET:
            raise ValueError("WISMO_SECRET_KEY must be set to a real secret in production")
        if (
            self.telegram_mode == "webhook"
            and self.telegram_token
            and not self.telegram_webhook_secret
        ):
            raise ValueError("WISMO_TELEGRAM_WEBHOOK_SECRET is required in webhook mode")
        if self.telegram_mode == "webhook" and self.telegram_token:
            url = self.telegram_webhook_url or ""
            if not url.startswith(("https://", "http://")):
                raise ValueError(
                    "WISMO_TELEGRAM_WEBHOOK_URL (the public https:// URL Telegram posts "
                    "updates to) is required in webhook mode"
                )
            # Telegram posts only to HTTPS; a self-hosted Bot API server (--local) may use http.
            if url.startswith("http://") and _is_telegrams_own(self.telegram_api_url):
                raise ValueError(
                    f"WISMO_TELEGRAM_WEBHOOK_URL must be an https:// URL, got {url!r}: Telegram "
                    "posts updates only to HTTPS (http:// works only with a self-hosted Bot API "
                    "server in WISMO_TELEGRAM_API_URL)"
                )
            # Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and - as the secret.
            if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", self.telegram_webhook_secret or ""):
                raise ValueError(
                    "WISMO_TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, "
                    "0-9, _ and -"
                )
        if self.slack_bot_token and not (self.slack_signing_secret or self.slack_app_token):
            raise ValueError(
                "WISMO_SLACK_SIGNING_SECRET is required for Slack's HTTP mode "
                "(or set WISMO_SLACK_APP_TOKEN for Socket Mode)"
            )
        return self

    @property
    def public_base_url(self) -> str:
        """Where shoppers reach the HTTP app: WISMO_PUBLIC_URL, else this host and port."""
        return self.public_url or f"http://{self.http_host}:{self.http_port}"

    @property
    def staff_user_ids(self) -> frozenset[str]:
        return frozenset(u.strip() for u in self.slack_staff_users.split(",") if u.strip())


def _is_telegrams_own(api_url: str) -> bool:
    """True when the Bot API base URL is Telegram's own server, not a self-hosted one."""
    host = (urlsplit(api_url).hostname or "").lower()
    return host == "api.telegram.org" or host.endswith(".telegram.org")


class SettingsError(Exception):
    """A setting is missing or wrong; the message names it."""


def load_settings(**overrides: object) -> Settings:
    """Build the settings once, at start; raise SettingsError naming each bad setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = error["loc"][0] if error["loc"] else ""
            message = str(error["msg"]).removeprefix("Value error, ")
            problems.append(f"WISMO_{str(where).upper()}: {message}" if where else message)
        raise SettingsError("; ".join(problems)) from None

"""Logging for `wismo run`: one line per record on stderr, with no secrets in it.

wismo's own log lines carry ids, never contact details. Libraries are less careful:
httpx logs every request URL at INFO, and a Telegram Bot API URL contains the bot token;
python-telegram-bot and the Slack SDK log whole updates and request bodies (what shoppers
typed) at DEBUG. So those loggers are held above the levels where they do that, whatever
WISMO_LOG_LEVEL says, and every formatted line — tracebacks included — has the configured
secrets masked as a last line of defence.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import TextIO

from bot.settings import Settings

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "[redacted]"

# Logger name -> the lowest level it may log at.
_FLOORS = {
    "httpx": logging.WARNING,  # request URLs (the Telegram token is part of the path)
    "httpcore": logging.WARNING,
    "telegram": logging.INFO,  # updates and request payloads at DEBUG
    "slack_sdk": logging.INFO,
    "slack_bolt": logging.INFO,
    "aiohttp": logging.INFO,
    "sqlalchemy": logging.WARNING,  # statements with their parameters at INFO
    "apscheduler.scheduler": logging.WARNING,  # one "Adding job" line per job at start
}

_SECRET_FIELDS = (
    "secret_key",
    "telegram_token",
    "telegram_webhook_secret",
    "slack_bot_token",
    "slack_signing_secret",
    "slack_app_token",
    "aftership_webhook_secret",
    "easypost_webhook_secret",
    "shopify_webhook_secret",
    "aftership_api_key",
)


class RedactingFormatter(logging.Formatter):
    """A formatter that replaces each secret with a mask in the finished line."""

    def __init__(self, secrets: Iterable[str], fmt: str = FORMAT) -> None:
        super().__init__(fmt)
        # Longest first, so a secret that contains another is masked whole.
        self.secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        for secret in self.secrets:
            line = line.replace(secret, MASK)
        return line


def secrets_of(settings: Settings) -> list[str]:
    """The setting values that must never appear in a log line."""
    values = [getattr(settings, name) for name in _SECRET_FIELDS]
    return [value for value in values if isinstance(value, str) and value]


def configure_logging(settings: Settings, stream: TextIO | None = None) -> logging.Handler:
    """Send log records at WISMO_LOG_LEVEL to `stream` (stderr) through the redacting
    formatter, with the leaky libraries held at their floors. Returns the handler."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(RedactingFormatter(secrets_of(settings)))
    root = logging.getLogger()
    root.addHandler(handler)
    level = logging.getLevelName(settings.log_level)
    root.setLevel(level)
    for name, floor in _FLOORS.items():
        logging.getLogger(name).setLevel(max(floor, level))
    return handler

"""`wismo run`'s log: no bot token, API key or shopper message in it, whatever the level."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator

import pytest

from bot.logs import MASK, configure_logging
from bot.settings import load_settings

TOKEN = "123456789:AAE-secret-bot-token"


@pytest.fixture
def log_of() -> Iterator[Callable[..., io.StringIO]]:
    """Configure logging as `wismo run` does for the given settings; yield the output."""
    handlers: list[logging.Handler] = []
    root = logging.getLogger()
    before = root.level
    # Start from untouched loggers whatever earlier tests configured (slack_bolt, for one,
    # copies the root level onto the logger named after its app, "wismo", per request).
    for name in ("wismo", "httpx", "telegram.ext.Updater"):
        logging.getLogger(name).setLevel(logging.NOTSET)
    stream = io.StringIO()

    def configure(**settings: object) -> io.StringIO:
        handlers.append(configure_logging(load_settings(_env_file=None, **settings), stream))
        return stream

    yield configure
    for handler in handlers:
        root.removeHandler(handler)
    root.setLevel(before)
    for name in ("httpx", "httpcore", "telegram", "apscheduler.scheduler"):
        logging.getLogger(name).setLevel(logging.NOTSET)


def test_request_urls_with_the_bot_token_stay_out_even_at_debug(log_of) -> None:
    out = log_of(telegram_token=TOKEN, log_level="DEBUG")
    logging.getLogger("httpx").info("HTTP Request: POST https://api.telegram.org/bot%s/x", TOKEN)
    logging.getLogger("telegram.ext.Updater").debug("Got update {'text': 'alex@example.com'}")
    logging.getLogger("wismo").debug("wismo's own debug line")
    assert out.getvalue().count("\n") == 1
    assert "wismo's own debug line" in out.getvalue()


def test_a_secret_that_reaches_a_line_anyway_is_masked_in_message_and_traceback(log_of) -> None:
    out = log_of(telegram_token=TOKEN, aftership_api_key="as-key-0123456789")
    try:
        raise RuntimeError(f"GET https://api.telegram.org/bot{TOKEN}/getMe failed")
    except RuntimeError:
        logging.getLogger("wismo").exception("start failed with key %s", "as-key-0123456789")
    text = out.getvalue()
    assert TOKEN not in text and "as-key-0123456789" not in text
    assert f"/bot{MASK}/getMe" in text and f"key {MASK}" in text


def test_the_level_setting_applies_to_wismo(log_of) -> None:
    out = log_of(log_level="WARNING")
    logging.getLogger("wismo").info("hidden")
    logging.getLogger("wismo").warning("shown")
    assert "hidden" not in out.getvalue() and "WARNING wismo: shown" in out.getvalue()

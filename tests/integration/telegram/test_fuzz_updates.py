"""Hypothesis posts Telegram updates with odd values to the real webhook over HTTP: never a
5xx, never a handler that fails, and the bot goes on answering."""

from __future__ import annotations

import logging
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.strategies import ANY_TEXT, mutated
from tests.integration.telegram.botapi import BotApiServer
from tests.integration.telegram.shapes import UpdateFactory
from tests.integration.telegram.test_webhook import WebhookWismo, webhook  # noqa: F401

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
_FACTORY = UpdateFactory()  # the shapes Telegram sends, without a server


TEXTS = ANY_TEXT | st.sampled_from(["/start", "/start " + "A" * 40, "/track 1001", "/stop", "help"])
UPDATES = st.builds(lambda text: _FACTORY.message_update(880, text), TEXTS).flatmap(
    lambda u: mutated(u, changes=3)
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(update=UPDATES)
async def test_odd_updates_are_answered_or_refused_never_a_5xx(
    webhook: WebhookWismo,  # noqa: F811
    botapi: BotApiServer,
    caplog: pytest.LogCaptureFixture,
    update: dict[str, Any],
) -> None:
    caplog.clear()
    if isinstance(update, dict):
        update["update_id"] = botapi.factory.next_update_id()  # each example is a new update
    status = await botapi.post_webhook(update)
    assert status in (200, 400), status
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not failures, [r.getMessage() for r in failures]

"""Handling Slack requests leaves wismo's own logger as `wismo run` configured it."""

from __future__ import annotations

import logging

from core.runtime.clock import ManualClock
from tests.integration.slack.conftest import OUTSIDER, Desk
from tests.unit.staff_data import build_shop


async def test_a_slack_request_does_not_change_the_wismo_loggers_level(
    desk: Desk, clock: ManualClock
) -> None:
    wismo = logging.getLogger("wismo")
    assert wismo.level == logging.NOTSET
    async with desk.database.transaction() as session:
        await build_shop(session, clock)
    root = logging.getLogger()
    before = root.level
    root.setLevel(logging.ERROR)  # what bolt would copy onto the app's logger
    try:
        await desk.command("order 1001", user=OUTSIDER)  # refused, after bolt set up
        await desk.api.wait_for("chat.postEphemeral")
    finally:
        root.setLevel(before)
    # Otherwise WISMO_LOG_LEVEL=DEBUG would stop applying to wismo's lines after a request.
    assert wismo.level == logging.NOTSET

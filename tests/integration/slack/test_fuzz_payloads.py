"""Hypothesis sends signed Slack requests with odd values to the real `/slack/events`: slash
commands with any text, button clicks and modal submissions with any fields. Never a 5xx,
never a listener that fails."""

from __future__ import annotations

import json
import logging
import os
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.fuzz.strategies import mutated
from tests.integration.slack.conftest import AGENT, ALERTS, Desk
from tests.integration.slack.stand_in import TEAM

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
COMMAND_WORDS = st.sampled_from(
    ["order", "1001", "flag", "help", "ana@example.com", "JD0001", "<!channel>", "*", "%"]
)
# Slack sends UTF-8: a lone surrogate cannot be in a command's text (urlencode refuses it).
SLACK_TEXT = st.text(st.characters(codec="utf-8", min_codepoint=0), max_size=60)
COMMANDS = SLACK_TEXT | st.lists(COMMAND_WORDS | SLACK_TEXT, max_size=5).map(" ".join)
CLICK = {
    "type": "block_actions",
    "team": {"id": TEAM, "domain": "shop"},
    "user": {"id": AGENT, "username": "jane.agent", "team_id": TEAM},
    "api_app_id": "A0WISMO",
    "trigger_id": "1337.1.trigger",
    "container": {"type": "message", "channel_id": ALERTS, "message_ts": "1700000000.000001"},
    "channel": {"id": ALERTS},
    "response_url": "http://127.0.0.1:9/response",
    "message": {"ts": "1700000000.000001", "type": "message"},
    "actions": [
        {
            "type": "button",
            "action_id": "return_approve",
            "block_id": "return:1",
            "value": "1",
            "text": {"type": "plain_text", "text": "Approve"},
            "action_ts": "1700000000.5",
        }
    ],
}
SUBMIT = {
    "type": "view_submission",
    "team": {"id": TEAM, "domain": "shop"},
    "user": {"id": AGENT, "username": "jane.agent", "team_id": TEAM},
    "api_app_id": "A0WISMO",
    "trigger_id": "1337.2.trigger",
    "view": {
        "id": "V0MODAL",
        "team_id": TEAM,
        "type": "modal",
        "callback_id": "wismo_flag",
        "private_metadata": json.dumps({"order": "1001", "channel": ALERTS}),
        "state": {"values": {"kind": {"value": {"type": "static_select"}}}},
    },
}
SHORTCUT = {
    "type": "message_action",
    "callback_id": "lookup_order",
    "trigger_id": "1337.3.trigger",
    "team": {"id": TEAM, "domain": "shop"},
    "user": {"id": AGENT, "username": "jane.agent", "team_id": TEAM},
    "channel": {"id": ALERTS, "name": "alerts"},
    "response_url": "http://127.0.0.1:9/response",
    "message_ts": "1700000000.000777",
    "message": {
        "type": "message",
        "ts": "1700000000.000777",
        "text": "where is 1001? <mailto:ana@example.com|ana@example.com>",
        "attachments": [{"text": "JD0001 arrived broken"}],
    },
}
SHORTCUTS = st.sampled_from(["lookup_order", "flag_issue", "nope"])
ACTION_IDS = st.sampled_from(
    ["return_approve", "return_decline", "return_received", "return_refunded", "staff_order",
     "flag_open", "flag_resolve", "handoff_take", "handoff_back", "handoff_note", "flag_open#2",
     "nope"]
)  # fmt: skip
CALLBACKS = st.sampled_from(["wismo_flag", "wismo_resolve", "wismo_decline", "wismo_note", "nope"])


def _failures(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@FUZZ
@given(text=COMMANDS)
async def test_any_command_text(desk: Desk, caplog: pytest.LogCaptureFixture, text: str) -> None:
    caplog.clear()
    response = await desk.command(text)
    assert response.status_code < 500, response.text
    assert not _failures(caplog)


# Found by a longer run: a container's message_ts that is a list reached the database.
CLICK_WITH_A_LIST_TS = {**CLICK, "container": {**CLICK["container"], "message_ts": [0]}}


@FUZZ
@given(payload=mutated(CLICK, changes=4), action=ACTION_IDS)
@example(payload=CLICK_WITH_A_LIST_TS, action="handoff_take")
async def test_any_click(
    desk: Desk, caplog: pytest.LogCaptureFixture, payload: dict[str, Any], action: str
) -> None:
    caplog.clear()
    if isinstance(payload.get("actions"), list) and payload["actions"]:
        first = payload["actions"][0]
        if isinstance(first, dict):
            first["action_id"] = action
    response = await desk.interact(payload)
    assert response.status_code < 500, response.text
    assert not _failures(caplog)


@FUZZ
@given(payload=mutated(SUBMIT, changes=4), callback=CALLBACKS)
async def test_any_modal_submission(
    desk: Desk, caplog: pytest.LogCaptureFixture, payload: dict[str, Any], callback: str
) -> None:
    caplog.clear()
    if isinstance(payload.get("view"), dict):
        payload["view"]["callback_id"] = callback
    response = await desk.interact(payload)
    assert response.status_code < 500, response.text
    assert not _failures(caplog)


@FUZZ
@given(payload=mutated(SHORTCUT, changes=4), callback=SHORTCUTS)
async def test_any_message_shortcut(
    desk: Desk, caplog: pytest.LogCaptureFixture, payload: dict[str, Any], callback: str
) -> None:
    caplog.clear()
    payload["callback_id"] = callback
    response = await desk.interact(payload)
    assert response.status_code < 500, response.text
    assert not _failures(caplog)


@FUZZ
@given(body=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
async def test_any_signed_body(desk: Desk, caplog: pytest.LogCaptureFixture, body: bytes) -> None:
    caplog.clear()
    response = await desk.post(body, "application/x-www-form-urlencoded")
    assert response.status_code < 500, response.text
    response = await desk.post(
        urlencode({"payload": body.decode("latin-1")}).encode(), "application/x-www-form-urlencoded"
    )
    assert response.status_code < 500, response.text

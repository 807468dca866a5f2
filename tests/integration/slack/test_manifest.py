"""The README's Slack manifest grants what the code calls: the scopes of every Web API method
adapters/slack/ calls, and of every event it listens to. The stand-in refuses the rest."""

from __future__ import annotations

import re
from pathlib import Path

from adapters.slack.scopes import CLIENT_METHODS, LISTENER_SCOPES, METHOD_SCOPES, missing_scope
from adapters.slack.shortcuts import SHORTCUTS
from tests.integration.slack.manifest import (
    manifest_events,
    manifest_scopes,
    manifest_shortcuts,
    manifest_text,
)

SLACK = Path(__file__).resolve().parents[3] / "adapters" / "slack"
FAMILIES = "auth|chat|views|files|users|conversations|reactions|usergroups|team|bots|apps|pins"
CALL = re.compile(rf"\.((?:{FAMILIES})_[A-Za-z0-9_]+)\(")
SHORTCUT = re.compile(r"\.shortcut\((\w+)\)")


def called_methods() -> set[str]:
    """slack_sdk client methods called anywhere in adapters/slack/."""
    return {m for path in SLACK.glob("*.py") for m in CALL.findall(path.read_text())}


def test_every_called_method_has_its_scopes_declared() -> None:
    called = called_methods()
    assert {"chat_postMessage", "files_upload_v2", "views_open"} <= called
    assert sorted(called - CLIENT_METHODS.keys()) == []
    for method in called:
        for api_method in CLIENT_METHODS[method]:
            assert api_method in METHOD_SCOPES, api_method


def test_the_manifest_grants_every_scope_the_code_needs() -> None:
    granted = manifest_scopes()
    lacking = {
        api_method: sorted(needed)
        for method in called_methods()
        for api_method in CLIENT_METHODS[method]
        if (needed := missing_scope(api_method, granted))
    }
    assert lacking == {}
    assert sorted(LISTENER_SCOPES - granted) == []
    assert {
        "app_home_opened",
        "app_mention",
        "message.im",
        "message.channels",
        "message.groups",
    } <= manifest_events()


def test_the_manifest_turns_the_home_tab_on() -> None:
    # Without it Slack never sends app_home_opened and the queue has nowhere to appear.
    assert re.search(r"^\s*home_tab_enabled:\s*true\b", manifest_text(), re.M)


def test_a_scope_left_out_of_the_manifest_is_refused_as_slack_would() -> None:
    granted = manifest_scopes() - {"files:write"}
    assert missing_scope("files.completeUploadExternal", granted) == {"files:write"}
    assert missing_scope("chat.postMessage", granted) is None
    assert missing_scope("views.open", frozenset()) is None


def test_the_manifest_declares_every_shortcut_the_code_answers() -> None:
    registered = {m for path in SLACK.glob("*.py") for m in SHORTCUT.findall(path.read_text())}
    assert registered == {"LOOKUP_SHORTCUT", "FLAG_SHORTCUT"}  # the listeners use these names
    assert manifest_shortcuts() == {
        callback: (name, "message") for callback, name in SHORTCUTS.items()
    }

"""Whether a signed request's body has the shape Slack documents, before bolt reads it.

bolt trusts the shape: a `payload` that is not JSON, an `actions` entry that is a list,
a `view` without a callback id all raise inside bolt or inside a listener. Slack never
sends such bodies, so they are refused (400) before anything runs. The body is read the
way bolt reads it: JSON, a form with a JSON `payload` field, or a plain form (slash
commands).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl


def read_body(raw: bytes, content_type: str | None) -> dict[str, Any] | None:
    """The body as bolt will see it, or None when bolt could not read it."""
    try:
        text = raw.decode("utf-8")
        if not text:
            return {}
        if content_type == "application/json" or text.startswith("{"):
            body = json.loads(text)
        elif "payload" in text:
            payload = dict(parse_qsl(text, keep_blank_values=True)).get("payload")
            body = json.loads(payload) if payload is not None else {}
        else:
            body = dict(parse_qsl(text, keep_blank_values=True))
    except (ValueError, RecursionError):  # UnicodeDecodeError, JSONDecodeError
        return None
    return body if isinstance(body, dict) else None


def _is_text(value: Any, *, optional: bool = True) -> bool:
    return isinstance(value, str) or (optional and value is None)


def _objects(body: dict[str, Any], *names: str) -> bool:
    """Each of `names` is absent or an object (Slack never sends null for these)."""
    return all(name not in body or isinstance(body[name], dict) for name in names)


def well_formed(body: dict[str, Any]) -> bool:
    """True when the fields wismo and bolt read have Slack's types."""
    if not _objects(body, "user", "team", "channel", "container", "message", "view", "event"):
        return False
    if isinstance(body.get("user"), dict) and not _is_text(body["user"].get("id")):
        return False
    if "command" in body:  # a slash command: a plain form, every value text
        return all(isinstance(v, str) for v in body.values())
    kind = body.get("type")
    if not _is_text(kind):
        return False
    if (kind == "block_actions" or "actions" in body) and not _actions_ok(body.get("actions")):
        return False
    if (kind in ("view_submission", "view_closed") or "view" in body) and not _view_ok(
        body.get("view")
    ):
        return False
    if kind == "event_callback":
        event = body.get("event")
        return isinstance(event, dict) and _is_text(event.get("type"), optional=False)
    return True


def _actions_ok(actions: Any) -> bool:
    if not isinstance(actions, list) or not actions:
        return False
    for action in actions:
        if not isinstance(action, dict) or not _is_text(action.get("action_id"), optional=False):
            return False
        if not all(_is_text(action.get(k)) for k in ("value", "block_id", "action_ts", "type")):
            return False
    return True


def _view_ok(view: Any) -> bool:
    if not isinstance(view, dict) or not _is_text(view.get("callback_id"), optional=False):
        return False
    if not _is_text(view.get("type"), optional=False):
        return False
    if not _is_text(view.get("private_metadata")):
        return False
    state = view.get("state", {})
    values = state.get("values", {}) if isinstance(state, dict) else None
    if not isinstance(values, dict):
        return False
    return all(
        isinstance(block, dict) and all(isinstance(element, dict) for element in block.values())
        for block in values.values()
    )

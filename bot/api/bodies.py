"""Reading a webhook's raw body as a JSON object, with a reason whenever it is not one.

Python's JSON parser raises RecursionError, not a ValueError, on deep nesting (about
1,000 levels), and a payload just shallow enough to parse can still overflow the stack
of code that walks it later; no platform nests its payloads more than a few levels deep.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 64


def unreadable_json(exc: BaseException) -> str | None:
    """Why a body that `json.loads` could not take is not JSON, or None for other errors."""
    if isinstance(exc, UnicodeDecodeError):
        return f"malformed JSON: not valid UTF-8 (byte {exc.object[exc.start]:#04x} at {exc.start})"
    if isinstance(exc, RecursionError):
        return "malformed JSON: nested too deeply"
    if isinstance(exc, json.JSONDecodeError):
        return f"malformed JSON: {exc}"
    return None


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when `value` nests objects or arrays more than `limit` levels (no recursion)."""
    level: list[Any] = [value]
    for _ in range(limit + 1):
        level = [
            child
            for node in level
            if isinstance(node, dict | list)
            for child in (node.values() if isinstance(node, dict) else node)
        ]
        if not level:
            return False
    return True


def json_object(body: bytes) -> dict[str, Any] | str:
    """The body as a JSON object, or the reason it is not one (for a 4xx answer)."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError
        return unreadable_json(exc) or "malformed JSON"
    if too_deep(payload):
        return f"JSON nested deeper than {MAX_DEPTH} levels"
    if not isinstance(payload, dict):
        return "expected an object"
    return payload

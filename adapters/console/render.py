"""Core replies as plain terminal text: sections, fields, a timeline and numbered buttons.

Text from shoppers, carriers and the shop reaches the terminal only through `clean`, which
drops control characters, so a carrier's location can never move the cursor, recolour the
screen or fake a prompt (the terminal's equivalent of escaping HTML).
"""

from __future__ import annotations

import unicodedata
from typing import Any
from zoneinfo import ZoneInfo

from core.replies import Button, Reply, format_moment

INDENT = "   "


def clean(text: str) -> str:
    """`text` without control characters (escape sequences, bells, carriage returns).

    Newlines and tabs stay: they are layout, not commands.
    """
    if text.replace("\n", "").replace("\t", "").isprintable():
        return text  # the common case, checked at C speed
    return "".join(
        ch
        for ch in text
        if ch in "\n\t" or not unicodedata.category(ch).startswith("C") or ch == "\u200d"
    )


def reply_lines(reply: Reply, zone: ZoneInfo) -> list[str]:
    """The reply's text lines, without its buttons."""
    lines: list[str] = []
    for section in reply.sections:
        if lines:
            lines.append("")
        if section.title:
            lines.append(clean(section.title))
        if section.text:
            lines.extend(clean(section.text).splitlines() or [""])
        for field in section.fields:
            lines.append(f"{INDENT}{clean(field.label)}: {clean(field.value)}")
        for entry in section.timeline:
            where = f" — {clean(entry.location)}" if entry.location else ""
            moment = format_moment(entry.at, zone, reply.locale)
            lines.append(f"{INDENT}• {moment}  {clean(entry.text)}{where}")
    return lines


def button_line(buttons: list[Button], first: int = 1) -> str:
    """`[1] Track  [2] Follow`, numbered from `first`."""
    return "  ".join(f"[{first + i}] {clean(b.label)}" for i, b in enumerate(buttons))


def render_text(reply: Reply, zone: ZoneInfo, first_button: int = 1) -> str:
    """The whole reply as terminal text, buttons numbered from `first_button`."""
    lines = reply_lines(reply, zone)
    if reply.buttons:
        lines.append(button_line(reply.buttons, first_button))
    return "\n".join(lines)


def render_json(reply: Reply, zone: ZoneInfo, *, push: bool = False) -> dict[str, Any]:
    """One reply as the JSON object `--json` prints (text, buttons, intent, order_number)."""
    data: dict[str, Any] = {
        "text": "\n".join(reply_lines(reply, zone)),
        "buttons": [
            {"label": b.label, "action": b.action, "payload": b.payload} for b in reply.buttons
        ],
        "intent": reply.intent,
    }
    if reply.order_number:
        data["order_number"] = reply.order_number
    if push:
        data["push"] = True
    return data

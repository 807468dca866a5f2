"""Core Replies as Slack Block Kit, with every dynamic value escaped for mrkdwn.

Slack's mrkdwn gives `<…>` meaning (`<!channel>`, `<http://x|label>`, `<@U123>`), so `&`,
`<` and `>` in any text from shoppers, carriers or the shop become entities; nothing a
product name or an order note says can ping a channel or forge a link. Block Kit limits
(50 blocks, 3,000 characters a section text, 2,000 a field, 75 a button label, 255 an
action_id, 2,000 a button value, 25 elements in an actions block) are enforced here.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from core.replies import Button, KeyValue, Reply, Section, TimelineEntry

log = logging.getLogger(__name__)

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_BUTTON_LABEL = 75
MAX_ACTION_ID = 255
MAX_BUTTON_VALUE = 2000
MAX_ACTIONS_PER_BLOCK = 25
MAX_FALLBACK_TEXT = 3000
ACTION_SEPARATOR = "#"

_DANGER = frozenset({"return_decline"})
_PRIMARY = frozenset({"return_approve", "flag_open"})
# A cut in the middle of "&amp;" would leave a broken entity; back off to before it.
_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,3}$")


def escape(text: str) -> str:
    """Escape `&`, `<` and `>` for Slack mrkdwn (in that order, so `&` is not doubled)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis, never inside an entity."""
    if len(text) <= limit:
        return text
    cut = _PARTIAL_ENTITY.sub("", text[: limit - 1])
    return cut + "…"


def _mrkdwn(text: str, limit: int = MAX_SECTION_TEXT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": clip(text, limit), "verbatim": True}


def _plain(text: str, limit: int) -> dict[str, Any]:
    # plain_text is never parsed for mentions or links, so it needs no escaping.
    return {"type": "plain_text", "text": clip(text, limit) or " ", "emoji": True}


def _timeline_line(entry: TimelineEntry) -> str:
    line = f"`{entry.at:%Y-%m-%d %H:%M}` {escape(entry.text)}"
    if entry.location:
        line += f" — {escape(entry.location)}"
    return line


def _field(kv: KeyValue) -> dict[str, Any]:
    return _mrkdwn(f"*{escape(kv.label)}*\n{escape(kv.value) or '—'}", MAX_FIELD_TEXT)


def _section_blocks(section: Section) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    lines = []
    if section.title:
        lines.append(f"*{escape(section.title)}*")
    if section.text:
        lines.append(escape(section.text))
    if lines:
        blocks.append({"type": "section", "text": _mrkdwn("\n".join(lines))})
    for start in range(0, len(section.fields), MAX_FIELDS):
        chunk = section.fields[start : start + MAX_FIELDS]
        blocks.append({"type": "section", "fields": [_field(kv) for kv in chunk]})
    if section.timeline:
        text = "\n".join(_timeline_line(entry) for entry in section.timeline)
        blocks.append({"type": "section", "text": _mrkdwn(text)})
    return blocks


def action_id(action: str, index: int) -> str:
    """A unique action_id per button ("flag_resolve#2"); Slack wants them unique per block."""
    return f"{action}{ACTION_SEPARATOR}{index}"[:MAX_ACTION_ID]


def action_name(action_id_value: str) -> str:
    """The core action behind a rendered action_id."""
    return action_id_value.split(ACTION_SEPARATOR, 1)[0]


def button_element(button: Button, index: int) -> dict[str, Any] | None:
    """One Block Kit button, or None (logged) when its payload cannot fit in a value."""
    if len(button.payload) > MAX_BUTTON_VALUE:
        log.warning("button %s dropped: payload longer than %s", button.action, MAX_BUTTON_VALUE)
        return None
    element: dict[str, Any] = {
        "type": "button",
        "text": _plain(button.label, MAX_BUTTON_LABEL),
        "action_id": action_id(button.action, index),
        "value": button.payload,
    }
    if button.action in _DANGER:
        element["style"] = "danger"
    elif button.action in _PRIMARY:
        element["style"] = "primary"
    return element


def _action_blocks(buttons: list[Button]) -> list[dict[str, Any]]:
    elements = [e for i, b in enumerate(buttons) if (e := button_element(b, i)) is not None]
    return [
        {"type": "actions", "elements": elements[start : start + MAX_ACTIONS_PER_BLOCK]}
        for start in range(0, len(elements), MAX_ACTIONS_PER_BLOCK)
    ]


def to_blocks(reply: Reply) -> list[dict[str, Any]]:
    """The reply's sections and buttons as at most 50 blocks; buttons are never cut off."""
    content: list[dict[str, Any]] = []
    for index, section in enumerate(reply.sections):
        if index and section.title:
            content.append({"type": "divider"})
        content.extend(_section_blocks(section))
    actions = _action_blocks(reply.buttons)
    room = MAX_BLOCKS - len(actions)
    if len(content) > room:
        content = content[: room - 1]
        content.append(
            {"type": "context", "elements": [_mrkdwn("…more than fits in one Slack message.")]}
        )
    return content + actions


def fallback_text(reply: Reply) -> str:
    """The notification text (shown in pushes and to screen readers), escaped."""
    for section in reply.sections:
        text = section.title or section.text
        if text:
            return clip(escape(text), MAX_FALLBACK_TEXT)
    return "wismo"


def message(reply: Reply) -> dict[str, Any]:
    """Keyword arguments for chat.postMessage / chat.update / chat.postEphemeral."""
    return {"text": fallback_text(reply), "blocks": to_blocks(reply)}

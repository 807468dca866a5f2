"""Modal views staff fill in (flag an issue, resolve a flag, decline a return) and their parsing.

`private_metadata` carries where the modal was opened from (channel, message ts, and
whether that message was ephemeral), so the submission can update that card in place.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from core.returns import DECLINE_NOTE_LIMIT
from core.staff import DECLINE_REASON_LABELS, MAX_NOTE, STAFF_FLAG_KINDS, flag_label

FLAG_VIEW = "wismo_flag"
RESOLVE_VIEW = "wismo_resolve"
DECLINE_VIEW = "wismo_decline"
NOTE_VIEW = "wismo_note"
MAX_PRIVATE_METADATA = 3000


@dataclass(frozen=True)
class Origin:
    """Where a modal was opened from, and what it is about."""

    subject: str  # order number, flag id or return id
    channel: str | None = None
    ts: str | None = None
    response_url: str | None = None
    card: str | None = None  # the card to refresh after submitting (see adapters.slack.cards)

    def dump(self) -> str:
        """As private_metadata."""
        text = json.dumps(asdict(self), separators=(",", ":"))
        if len(text) > MAX_PRIVATE_METADATA:  # a response_url is long; the rest fits always
            text = json.dumps({**asdict(self), "response_url": None}, separators=(",", ":"))
        return text

    @property
    def ephemeral(self) -> bool:
        """The modal was opened from an ephemeral card (only a response_url reaches it)."""
        return self.ts is None

    @classmethod
    def load(cls, text: str) -> Origin:
        """From private_metadata; metadata that is not wismo's object reads as no origin."""
        try:
            data = json.loads(text or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):  # a signed but odd submission: "5", "[]", "null"
            data = {}
        return cls(
            subject=str(data.get("subject", "")),
            channel=data.get("channel"),
            ts=data.get("ts"),
            response_url=data.get("response_url"),
            card=data.get("card"),
        )


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": label[:75]}, "value": value}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:150]}


def _note_input(block_id: str, label: str, limit: int, *, optional: bool) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": _plain(label),
        "element": {
            "type": "plain_text_input",
            "action_id": "value",
            "multiline": True,
            "max_length": limit,
        },
    }


def flag_modal(
    order_number: str, origin: Origin, *, kind: str | None = None, note: str = ""
) -> dict[str, Any]:
    """ "Flag an issue" on an order: kind, note, and whether to tell the shopper.

    `kind` and `note` prefill the form (the "Flag issue" message shortcut's guess).
    """
    kind_select: dict[str, Any] = {
        "type": "static_select",
        "action_id": "value",
        "options": [_option(k, flag_label(k)) for k in STAFF_FLAG_KINDS],
    }
    if kind in STAFF_FLAG_KINDS:
        kind_select["initial_option"] = _option(kind, flag_label(kind))
    note_input = _note_input("note", "Note for the team", MAX_NOTE, optional=True)
    if note.strip():
        note_input["element"]["initial_value"] = note.strip()[:MAX_NOTE]
    return {
        "type": "modal",
        "callback_id": FLAG_VIEW,
        "private_metadata": origin.dump(),
        "title": _plain("Flag an issue"),
        "submit": _plain("Flag"),
        "close": _plain("Cancel"),
        "blocks": [
            {
                "type": "section",
                "text": {"type": "plain_text", "text": f"Order {order_number}"[:3000]},
            },
            {
                "type": "input",
                "block_id": "kind",
                "label": _plain("What is wrong?"),
                "element": kind_select,
            },
            note_input,
            {
                "type": "input",
                "block_id": "notify",
                "label": _plain("Tell the shopper?"),
                "element": {
                    "type": "radio_buttons",
                    "action_id": "value",
                    "initial_option": _option("no", "No"),
                    "options": [
                        _option("no", "No"),
                        _option("yes", "Yes, send a short notice"),
                    ],
                },
            },
        ],
    }


def resolve_modal(flag_title: str, origin: Origin) -> dict[str, Any]:
    """Resolve a flag with a note."""
    return {
        "type": "modal",
        "callback_id": RESOLVE_VIEW,
        "private_metadata": origin.dump(),
        "title": _plain("Resolve flag"),
        "submit": _plain("Resolve"),
        "close": _plain("Cancel"),
        "blocks": [
            {"type": "section", "text": {"type": "plain_text", "text": flag_title[:3000]}},
            _note_input("note", "What was done?", MAX_NOTE, optional=False),
        ],
    }


def decline_modal(title: str, origin: Origin) -> dict[str, Any]:
    """Decline a return: a reason and a note to the shopper (at most 500 characters)."""
    return {
        "type": "modal",
        "callback_id": DECLINE_VIEW,
        "private_metadata": origin.dump(),
        "title": _plain("Decline return"),
        "submit": _plain("Decline"),
        "close": _plain("Cancel"),
        "blocks": [
            {"type": "section", "text": {"type": "plain_text", "text": title[:3000]}},
            {
                "type": "input",
                "block_id": "reason",
                "label": _plain("Reason"),
                "element": {
                    "type": "static_select",
                    "action_id": "value",
                    "options": [
                        _option(value, label) for value, label in DECLINE_REASON_LABELS.items()
                    ],
                },
            },
            _note_input(
                "note", "Note to the shopper (they will read it)", DECLINE_NOTE_LIMIT, optional=True
            ),
        ],
    }


def note_modal(origin: Origin, limit: int) -> dict[str, Any]:
    """ "Note (internal)" on a hand-off thread: a remark for the team, never for the shopper."""
    return {
        "type": "modal",
        "callback_id": NOTE_VIEW,
        "private_metadata": origin.dump(),
        "title": _plain("Internal note"),
        "submit": _plain("Add note"),
        "close": _plain("Cancel"),
        "blocks": [
            {
                "type": "section",
                "text": {
                    "type": "plain_text",
                    "text": "For the team, in the thread: the shopper never sees it.",
                },
            },
            _note_input("note", "Note", limit, optional=False),
        ],
    }


def notice_modal(title: str, text: str) -> dict[str, Any]:
    """A modal that only says something (a refusal in place of the form)."""
    return {
        "type": "modal",
        "title": _plain(title[:24]),
        "close": _plain("Close"),
        "blocks": [{"type": "section", "text": {"type": "plain_text", "text": text[:3000]}}],
    }


def submitted(view: dict[str, Any], block_id: str) -> str:
    """The value of one input of a submitted view ("" when left empty)."""
    value = view.get("state", {}).get("values", {}).get(block_id, {}).get("value", {})
    if value.get("type") in ("static_select", "radio_buttons"):
        option = value.get("selected_option") or {}
        return str(option.get("value", ""))
    return str(value.get("value") or "")

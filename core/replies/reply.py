"""Channel-neutral replies. The core answers with these; each adapter renders them.

Text here is plain and unescaped: escaping belongs to the renderer of the channel it goes to.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Button:
    """A choice offered to the reader; `action` names what it does, `payload` its argument.

    With `web_app_url` the button opens that https page inside the chat app instead (a
    Telegram Mini App); a channel that cannot open pages leaves the button out.
    """

    label: str
    action: str
    payload: str = ""
    web_app_url: str | None = None


@dataclass(frozen=True)
class KeyValue:
    label: str
    value: str


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    text: str
    location: str | None = None


@dataclass
class Section:
    title: str | None = None
    text: str | None = None
    fields: list[KeyValue] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)


@dataclass
class Reply:
    """One message to one reader."""

    sections: list[Section] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    intent: str = "unknown"
    order_number: str | None = None
    # Delivered without a sound (a push inside the shopper's quiet hours, where the shop
    # chose WISMO_QUIET_HOURS_MODE=silent); channels that cannot mute send it as usual.
    silent: bool = False
    # The language its words are in ("de"): renderers write the timeline's dates in it.
    locale: str | None = None

    @classmethod
    def text(cls, text: str, *, intent: str = "unknown", **kwargs: Any) -> Reply:
        """A reply of one paragraph."""
        return cls(sections=[Section(text=text)], intent=intent, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe form, for the outbox."""
        data = asdict(self)
        for section in data["sections"]:
            for entry in section["timeline"]:
                entry["at"] = entry["at"].isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reply:
        """The inverse of `to_dict`."""
        return cls(
            sections=[
                Section(
                    title=s.get("title"),
                    text=s.get("text"),
                    fields=[KeyValue(**f) for f in s.get("fields", [])],
                    timeline=[
                        TimelineEntry(
                            at=datetime.fromisoformat(t["at"]),
                            text=t["text"],
                            location=t.get("location"),
                        )
                        for t in s.get("timeline", [])
                    ],
                )
                for s in data.get("sections", [])
            ],
            buttons=[Button(**b) for b in data.get("buttons", [])],
            intent=data.get("intent", "unknown"),
            order_number=data.get("order_number"),
            silent=bool(data.get("silent", False)),
            locale=data.get("locale"),
        )


@dataclass(frozen=True)
class Inbound:
    """One message or button press from a chat, in the core's words."""

    channel: str
    sender_id: str
    text: str | None = None
    action: str | None = None
    payload: str = ""
    locale: str | None = None
    display_name: str = ""
    # The platform's id of this delivery (a Telegram update_id). When set, the
    # conversation records it in its own transaction and answers a repeat with nothing.
    delivery_key: str | None = None
    # Photos sent with the message, as references the channel can fetch again
    # ("telegram:<file_id>"); the core stores the reference, never the picture.
    photos: tuple[str, ...] = ()

"""What the core says, channel-neutral: the reply model adapters render, the inbound message
they deliver, the sender port pushes leave through, and every shopper word in each language.

- reply: Reply, Section, KeyValue, TimelineEntry, Button, Inbound.
- sender: the `Sender` port and its typed outcomes (Sent, Blocked, RateLimited, Transient,
  Permanent); the `SendPace` port senders take their turn from.
- messages: the message catalogue (`text(key, locale)`), status wording, dates.
"""

from typing import TYPE_CHECKING

from core import lazy_exports

if TYPE_CHECKING:
    from core.replies import messages
    from core.replies.messages import CATALOGUES, DEFAULT_LOCALE, format_moment, text
    from core.replies.reply import Button, Inbound, KeyValue, Reply, Section, TimelineEntry
    from core.replies.sender import (
        Blocked,
        Permanent,
        RateLimited,
        Sender,
        SendOutcome,
        SendPace,
        Sent,
        Transient,
    )

__all__ = [
    "CATALOGUES",
    "DEFAULT_LOCALE",
    "Blocked",
    "Button",
    "Inbound",
    "KeyValue",
    "Permanent",
    "RateLimited",
    "Reply",
    "Section",
    "SendOutcome",
    "SendPace",
    "Sender",
    "Sent",
    "TimelineEntry",
    "Transient",
    "format_moment",
    "messages",
    "text",
]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "Blocked": "core.replies.sender",
        "Button": "core.replies.reply",
        "CATALOGUES": "core.replies.messages",
        "DEFAULT_LOCALE": "core.replies.messages",
        "Inbound": "core.replies.reply",
        "KeyValue": "core.replies.reply",
        "Permanent": "core.replies.sender",
        "RateLimited": "core.replies.sender",
        "Reply": "core.replies.reply",
        "Section": "core.replies.reply",
        "SendOutcome": "core.replies.sender",
        "SendPace": "core.replies.sender",
        "Sender": "core.replies.sender",
        "Sent": "core.replies.sender",
        "TimelineEntry": "core.replies.reply",
        "Transient": "core.replies.sender",
        "format_moment": "core.replies.messages",
        "messages": "core.replies.messages",
        "text": "core.replies.messages",
    },
)

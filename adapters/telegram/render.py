"""Core replies as Telegram messages: HTML with every dynamic value escaped, an inline keyboard.

Text from shoppers, carriers and the shop (product names, locations, notes) reaches Telegram
only through `html.escape`; the only markup is ours. A reply longer than Telegram's 4,096
characters is split at line boundaries into several messages, the keyboard on the last one.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

from adapters.telegram.callbacks import CallbackCodec, CallbackTooLong
from core.replies import Button, Reply, Section, format_moment

log = logging.getLogger(__name__)

MESSAGE_LIMIT = 4096  # Telegram's limit on one message's text
_PAIR_LABEL_CHARS = 18  # buttons with labels this short share a row, two by two


@dataclass(frozen=True)
class RenderedMessage:
    """One Telegram message: HTML text and, on the last message of a reply, the keyboard."""

    html: str
    keyboard: InlineKeyboardMarkup | None = None


def telegram_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units), which is never less than len()."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


# Escaping turns a character into at most this many ("&quot;"), and no character takes
# more UTF-16 units than that: a line of up to limit / 6 characters fits, unmeasured.
_MOST_PER_CHARACTER = 6


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _link(url: str) -> str | None:
    # Only our own web links become links; anything else (javascript:, data:) stays text.
    if url.startswith(("https://", "http://")) and " " not in url:
        return f'<a href="{_e(url)}">{_e(url)}</a>'
    return None


def _split_plain(text: str, limit: int) -> list[str]:
    """Split one plain line so each piece, once escaped, fits in `limit` characters.

    Breaks between words; a word longer than the limit is cut between characters.
    Escaping is per character, so sizes add up and are counted once.
    """
    if len(text) * _MOST_PER_CHARACTER <= limit or telegram_length(_e(text)) <= limit:
        return [text]
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for word in text.split(" "):
        word_size = telegram_length(_e(word))
        extra = word_size + (1 if current else 0)
        if size + extra <= limit:
            current.append(word)
            size += extra
            continue
        if current:
            pieces.append(" ".join(current))
            current, size = [], 0
        if word_size <= limit:
            current, size = [word], word_size
            continue
        chunk: list[str] = []
        chunk_size = 0
        for char in word:
            char_size = telegram_length(_e(char))
            if chunk_size + char_size > limit:
                pieces.append("".join(chunk))
                chunk, chunk_size = [], 0
            chunk.append(char)
            chunk_size += char_size
        current, size = ["".join(chunk)], chunk_size  # the word's tail starts the next piece
    if current:
        pieces.append(" ".join(current))
    return pieces


def _text_lines(text: str, limit: int, prefix: str = "") -> list[str]:
    lines: list[str] = []
    for raw in text.splitlines() or [""]:
        for piece in _split_plain(raw, limit - telegram_length(prefix)):
            lines.append(prefix + _e(piece))
    return lines


def _section_lines(
    section: Section, zone: ZoneInfo, limit: int, locale: str | None = None
) -> list[str]:
    lines: list[str] = []
    if section.title:
        lines.extend(f"<b>{line}</b>" for line in _text_lines(section.title, limit - 7))
    if section.text:
        lines.extend(_text_lines(section.text, limit))
    for field in section.fields:
        label = f"<b>{_e(field.label)}:</b> "
        link = _link(field.value.strip())
        if link is not None and telegram_length(label + link) <= limit:
            lines.append(label + link)
        else:
            lines.extend(_text_lines(field.value, limit, prefix=label))
    for entry in section.timeline:
        text = entry.text + (f" · {entry.location}" if entry.location else "")
        prefix = f"• <i>{_e(format_moment(entry.at, zone, locale))}</i> — "
        lines.extend(_text_lines(text, limit, prefix=prefix))
    return lines


def html_lines(reply: Reply, zone: ZoneInfo, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The reply as self-contained HTML lines (no tag spans two lines), each within `limit`."""
    lines: list[str] = []
    for section in reply.sections:
        section_lines = _section_lines(section, zone, limit, reply.locale)
        if not section_lines:
            continue
        if lines:
            lines.append("")  # a blank line between sections
        lines.extend(section_lines)
    return lines


def pack(lines: list[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Join lines into as few messages as fit in `limit`, breaking only between lines."""
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        extra = telegram_length(line) + (1 if current else 0)
        if current and size + extra > limit:
            messages.append("\n".join(current).strip("\n"))
            current, size = [], 0
            extra = telegram_length(line)
        current.append(line)
        size += extra
    if current:
        messages.append("\n".join(current).strip("\n"))
    return [message for message in messages if message] or []


def keyboard(
    buttons: list[Button], chat_id: str, codec: CallbackCodec
) -> InlineKeyboardMarkup | None:
    """The inline keyboard for `buttons`, each carrying signed callback data for `chat_id`."""
    rows: list[list[InlineKeyboardButton]] = []
    pairable = False  # whether the last row holds one short button that a second may join
    for button in buttons:
        if button.web_app_url:
            rows.append(
                [InlineKeyboardButton(button.label, web_app=WebAppInfo(button.web_app_url))]
            )
            pairable = False
            continue
        try:
            data = codec.encode(chat_id, button.action, button.payload)
        except CallbackTooLong as exc:
            # A button we cannot sign would be a button that does nothing: leave it out, loudly.
            log.error("dropping a button: %s", exc)
            continue
        widget = InlineKeyboardButton(button.label, callback_data=data)
        short = len(button.label) <= _PAIR_LABEL_CHARS
        if short and pairable:
            rows[-1].append(widget)
            pairable = False
        else:
            rows.append([widget])
            pairable = short
    return InlineKeyboardMarkup(rows) if rows else None


_TAG = re.compile(r"<[^>]+>")


def plain_text(html_text: str) -> str:
    """What a reader sees of our HTML (Telegram hands back message text without markup)."""
    return html.unescape(_TAG.sub("", html_text))


def same_screen(new_html: str, shown_text: str) -> bool:
    """Whether a new message redraws the one showing `shown_text`: same first line (title)."""
    new_title = plain_text(new_html).split("\n", 1)[0].strip()
    return bool(new_title) and new_title == shown_text.split("\n", 1)[0].strip()


def render(
    reply: Reply,
    chat_id: str,
    codec: CallbackCodec,
    zone: ZoneInfo,
    limit: int = MESSAGE_LIMIT,
) -> list[RenderedMessage]:
    """The Telegram messages that show `reply` in `chat_id`; the keyboard rides on the last."""
    texts = pack(html_lines(reply, zone, limit), limit)
    markup = keyboard(reply.buttons, chat_id, codec)
    if not texts:
        if markup is None:
            return []
        texts = ["…"]  # Telegram refuses an empty text; buttons alone still need one
    messages = [RenderedMessage(html=text) for text in texts[:-1]]
    messages.append(RenderedMessage(html=texts[-1], keyboard=markup))
    return messages

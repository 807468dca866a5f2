"""Rendering core replies as Telegram HTML: escaping, links, keyboards, 4,096-character splits."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from adapters.telegram.callbacks import CALLBACK_DATA_LIMIT, CallbackCodec
from adapters.telegram.render import MESSAGE_LIMIT, render, telegram_length
from core.replies.reply import Button, KeyValue, Reply, Section, TimelineEntry

CODEC = CallbackCodec("test-secret")
BERLIN = ZoneInfo("Europe/Berlin")
HOSTILE = 'Mug <b>bold</b> & <a href="https://evil.example">win</a>'

_TAG = re.compile(r"<(/?)([a-z]+)[^>]*>")


def assert_balanced(text: str) -> None:
    """Every tag in `text` is one Telegram knows and is closed in the same message."""
    stack: list[str] = []
    for closing, name in _TAG.findall(text):
        assert name in {"b", "i", "a"}, f"unexpected tag <{name}> in {text!r}"
        if closing:
            assert stack and stack.pop() == name, f"unbalanced </{name}> in {text!r}"
        else:
            stack.append(name)
    assert not stack, f"unclosed tags {stack} in {text!r}"


def test_hostile_product_name_is_escaped_everywhere() -> None:
    reply = Reply(
        sections=[
            Section(
                title=HOSTILE,
                text=f"Your {HOSTILE} is on its way",
                fields=[KeyValue(label="Items <i>", value=HOSTILE)],
                timeline=[
                    TimelineEntry(
                        at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC), text=HOSTILE, location="<b>&"
                    )
                ],
            )
        ]
    )
    [message] = render(reply, "42", CODEC, BERLIN)
    assert "<b>bold</b>" not in message.html
    assert '<a href="https://evil.example">' not in message.html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;a href=&quot;https://evil.example&quot;&gt;" in (
        message.html
    )
    assert_balanced(message.html)
    # What the shopper reads, once Telegram parses the HTML, is the literal name.
    assert HOSTILE in html.unescape(_TAG.sub("", message.html))


def test_layout_title_fields_timeline_in_shop_time() -> None:
    reply = Reply(
        sections=[
            Section(
                title="Order 1001",
                text="On its way",
                fields=[
                    KeyValue("Carrier", "DHL"),
                    KeyValue("Tracking link", "https://track.example/?id=1&x=<2>"),
                ],
                timeline=[
                    TimelineEntry(datetime(2026, 11, 2, 9, 30, tzinfo=UTC), "Picked up", "Leipzig")
                ],
            ),
            Section(text="Second section"),
        ]
    )
    [message] = render(reply, "42", CODEC, BERLIN)
    lines = message.html.split("\n")
    assert lines[0] == "<b>Order 1001</b>"
    assert lines[1] == "On its way"
    assert lines[2] == "<b>Carrier:</b> DHL"
    assert lines[3] == (
        '<b>Tracking link:</b> <a href="https://track.example/?id=1&amp;x=&lt;2&gt;">'
        "https://track.example/?id=1&amp;x=&lt;2&gt;</a>"
    )
    # 09:30 UTC is 10:30 in Berlin on 2 November.
    assert lines[4].startswith("• <i>") and "10:30" in lines[4]
    assert lines[4].endswith("— Picked up · Leipzig")
    assert lines[5] == ""
    assert lines[6] == "Second section"


def test_only_web_links_become_links() -> None:
    reply = Reply(sections=[Section(fields=[KeyValue("Link", "javascript:alert(1)")])])
    [message] = render(reply, "42", CODEC, BERLIN)
    assert "<a" not in message.html
    assert message.html == "<b>Link:</b> javascript:alert(1)"


def test_long_reply_splits_at_line_boundaries_with_keyboard_last() -> None:
    lines = [f"Line {i}: " + "parcel & <box> " * 20 for i in range(60)]
    reply = Reply(
        sections=[Section(text="\n".join(lines))],
        buttons=[Button("Refresh", "refresh", "1001")],
    )
    messages = render(reply, "42", CODEC, BERLIN)
    assert len(messages) >= 2
    for message in messages:
        assert telegram_length(message.html) <= MESSAGE_LIMIT
        assert_balanced(message.html)
    assert all(m.keyboard is None for m in messages[:-1])
    assert messages[-1].keyboard is not None
    # Nothing lost, nothing cut mid-line: the shopper reads every line whole, in order.
    shown = "\n".join(html.unescape(m.html) for m in messages).split("\n")
    assert shown == lines


def test_one_enormous_line_is_cut_without_breaking_an_entity() -> None:
    text = "&<>" * 5000  # 15,000 characters that escape to 5x their length
    messages = render(Reply.text(text), "42", CODEC, BERLIN)
    assert len(messages) > 1
    for message in messages:
        assert telegram_length(message.html) <= MESSAGE_LIMIT
        assert re.fullmatch(r"(&amp;|&lt;|&gt;|\n)+", message.html)
    assert "".join(html.unescape(m.html).replace("\n", "") for m in messages) == text


def test_emoji_count_as_two_units_toward_the_limit() -> None:
    text = "📦" * 3000  # 3,000 characters but 6,000 UTF-16 units
    messages = render(Reply.text(text), "42", CODEC, BERLIN)
    assert len(messages) == 2
    assert all(telegram_length(m.html) <= MESSAGE_LIMIT for m in messages)


def test_keyboard_pairs_short_buttons_and_signs_each() -> None:
    reply = Reply(
        sections=[Section(text="Order 1001")],
        buttons=[
            Button("Refresh", "refresh", "1001"),
            Button("Follow updates", "follow", "1001"),
            Button("Return an item", "return", "1001"),
            Button("Talk to a person", "human", "1001"),
            Button("Order 1002 · Shipped · placed 1 Nov", "track", "1002"),
        ],
    )
    [message] = render(reply, "42", CODEC, BERLIN)
    assert message.keyboard is not None
    rows = [[b.text for b in row] for row in message.keyboard.inline_keyboard]
    assert rows == [
        ["Refresh", "Follow updates"],
        ["Return an item", "Talk to a person"],
        ["Order 1002 · Shipped · placed 1 Nov"],
    ]
    for row in message.keyboard.inline_keyboard:
        for button in row:
            data = button.callback_data
            assert isinstance(data, str) and len(data.encode()) <= CALLBACK_DATA_LIMIT
            assert CODEC.decode("42", data) is not None


def test_a_button_too_long_to_sign_is_left_out_not_sent_broken(caplog) -> None:
    reply = Reply(
        sections=[Section(text="x")],
        buttons=[Button("Fine", "track", "1001"), Button("Too long", "track", "9" * 60)],
    )
    [message] = render(reply, "42", CODEC, BERLIN)
    assert message.keyboard is not None
    assert [b.text for row in message.keyboard.inline_keyboard for b in row] == ["Fine"]
    assert "dropping a button" in caplog.text


def test_empty_reply_renders_nothing() -> None:
    assert render(Reply(), "42", CODEC, BERLIN) == []


def test_one_long_paragraph_breaks_between_words() -> None:
    words = [f"parcel{i}&box" for i in range(1500)]  # about 20,000 characters escaped
    messages = render(Reply.text(" ".join(words)), "42", CODEC, BERLIN)
    assert len(messages) > 1
    assert all(telegram_length(m.html) <= MESSAGE_LIMIT for m in messages)
    shown_words = " ".join(html.unescape(m.html).replace("\n", " ") for m in messages).split()
    assert shown_words == words  # every word whole, in order

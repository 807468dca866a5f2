"""Block Kit rendering: escaping and Slack's limits, whatever the core hands over."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.slack.blocks import (
    MAX_BLOCKS,
    escape,
    fallback_text,
    message,
    to_blocks,
)
from adapters.slack.cards import card_ref, render
from core.replies.reply import Button, KeyValue, Reply, Section, TimelineEntry


def test_escape_turns_mrkdwn_controls_into_entities_once() -> None:
    assert escape("<!channel> & <http://evil|x>") == "&lt;!channel&gt; &amp; &lt;http://evil|x&gt;"
    assert escape("&lt;") == "&amp;lt;"  # shop text that looks escaped is still shown as typed


def test_every_dynamic_value_is_escaped() -> None:
    reply = Reply(
        sections=[
            Section(
                title="<!here>",
                text="<@U1>",
                fields=[KeyValue("<b>", "<!everyone>")],
                timeline=[
                    TimelineEntry(datetime(2026, 11, 2, tzinfo=UTC), "<http://x|y>", "<#C1>")
                ],
            )
        ],
        buttons=[Button("<!channel>", "staff_order", "1001")],
    )
    kwargs = message(reply)
    dumped = str(kwargs["blocks"]) + kwargs["text"]
    for raw in ("<!here>", "<@U1>", "<!everyone>", "<http://x|y>", "<#C1>", "<b>"):
        assert raw not in dumped.replace("'text': '<!channel>'", "")
    # Button labels are plain_text, which Slack never parses, so they stay as written.
    assert kwargs["blocks"][-1]["elements"][0]["text"] == {
        "type": "plain_text",
        "text": "<!channel>",
        "emoji": True,
    }
    assert kwargs["text"] == "&lt;!here&gt;"


def test_long_sections_are_cut_to_3000_characters_without_breaking_an_entity() -> None:
    text = "a" * 2990 + "&" * 100
    [block] = to_blocks(Reply(sections=[Section(text=text)]))
    rendered = block["text"]["text"]
    assert len(rendered) <= 3000 and rendered.endswith("…")
    body = rendered.removesuffix("…")
    assert body.endswith("&amp;") and not body.endswith("&amp")


def test_fields_are_limited_to_ten_per_section_and_2000_characters() -> None:
    fields = [KeyValue(f"k{i}", "v" * 2500) for i in range(13)]
    blocks = to_blocks(Reply(sections=[Section(fields=fields)]))
    assert [len(b["fields"]) for b in blocks] == [10, 3]
    assert all(len(f["text"]) <= 2000 for b in blocks for f in b["fields"])


def test_buttons_respect_label_action_id_and_value_limits() -> None:
    buttons = [
        Button("L" * 100, "staff_order", "1001"),
        Button("ok", "a" * 300, "1"),
        Button("too big", "staff_order", "v" * 2001),
    ]
    [actions] = to_blocks(Reply(buttons=buttons))
    first, second = actions["elements"]  # the oversized value is dropped, not sent broken
    assert len(first["text"]["text"]) == 75 and first["text"]["text"].endswith("…")
    assert len(second["action_id"]) == 255
    assert first["action_id"] == "staff_order#0"


def test_a_huge_reply_keeps_to_50_blocks_and_keeps_its_buttons() -> None:
    sections = [Section(title=f"Shipment {i}", text="x") for i in range(80)]
    buttons = [Button(f"b{i}", "staff_order", str(i)) for i in range(30)]
    blocks = to_blocks(Reply(sections=sections, buttons=buttons))
    assert len(blocks) == MAX_BLOCKS
    actions = [b for b in blocks if b["type"] == "actions"]
    assert [len(a["elements"]) for a in actions] == [25, 5]
    assert blocks[-3]["type"] == "context"


def test_cards_carry_their_reference_on_every_actions_block() -> None:
    reply = Reply(
        buttons=[Button(f"b{i}", "return_approve", "7") for i in range(30)],
        intent="staff_return",
        order_number="1001",
    )
    assert card_ref(reply) == "return:7"
    ids = [b["block_id"] for b in render(reply)["blocks"] if b["type"] == "actions"]
    assert ids == ["return:7", "return:7~1"]
    assert card_ref(Reply(intent="staff_order", order_number="1001")) == "order:1001"
    assert card_ref(Reply.text("hi")) is None


def test_fallback_text_is_escaped_and_never_empty() -> None:
    assert fallback_text(Reply()) == "wismo"
    assert fallback_text(Reply.text("a < b")) == "a &lt; b"

"""The message catalogue: every key the code asks for exists, and languages fall back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.replies import messages
from core.replies.messages import EN, catalogue, text

CORE = Path(messages.__file__).parents[1]
KEY_USE = re.compile(r"""(?:ctx\.t|\btext)\(\s*["']([a-z_]+(?:\.[a-z_]+)+)["']""")


def test_every_key_the_conversation_uses_is_in_the_english_catalogue() -> None:
    used: set[str] = set()
    for module in (
        "conversation/service",
        "conversation/shopper_actions",
        "conversation/verify_flow",
        "conversation/flow_context",
        "tracking/order_reply",
    ):
        used |= set(KEY_USE.findall((CORE / f"{module}.py").read_text()))
    assert used, "the pattern found no keys: the test would prove nothing"
    assert sorted(used - EN.keys()) == []


def test_a_missing_language_or_key_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    assert catalogue("it-IT") is EN  # no Italian catalogue
    assert text("thanks", "de-AT") == "Gern geschehen! Schreiben Sie mir jederzeit."
    monkeypatch.setitem(messages.CATALOGUES, "de", {"thanks": "Gern geschehen!"})
    assert text("thanks", "de-AT") == "Gern geschehen!"
    assert text("bye", "de") == EN["bye"]

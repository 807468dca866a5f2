"""The return, hand-off and Telegram words are catalogue keys that exist in English."""

from __future__ import annotations

import re
from pathlib import Path

from adapters.telegram import notices
from core.messages import EN
from core.return_policy import STATES

ROOT = Path(__file__).resolve().parents[3]
KEY = re.compile(r"""(?:ctx\.t|\btext|tell_shopper)\([^"']*["']([a-z_]+(?:\.[a-z_]+)+)["']""")
MODULES = (
    "core/flows/returns.py",
    "core/flows/return_screens.py",
    "core/flows/handoff.py",
    "core/handoff.py",
    "core/return_replies.py",
    "adapters/telegram/handlers.py",
)


def test_every_literal_key_is_in_the_english_catalogue() -> None:
    used: set[str] = set()
    for module in MODULES:
        found = set(KEY.findall((ROOT / module).read_text()))
        assert found, f"no keys found in {module}: the test would prove nothing"
        used |= found
    assert sorted(used - EN.keys()) == []


def test_the_keys_built_from_codes_are_in_the_english_catalogue() -> None:
    built = {f"return_state.{state}" for state in STATES}
    built |= {f"return.item.{why}" for why in ("final_sale", "in_return", "returned")}
    built |= {f"return.pick_reason.{n}" for n in ("one", "many")}
    built |= {f"handoff_notice.{k}" for k in ("taken", "back", "idle", "closed_waiting")}
    built |= {"handoff_notice.idle_waiting"}
    assert sorted(built - EN.keys()) == []
    assert [name for name, _ in notices.command_menu()] == list(notices.COMMANDS)

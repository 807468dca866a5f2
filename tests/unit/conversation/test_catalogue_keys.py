"""The shopper words of the returns, hand-offs, shipment pushes, flag notices and Telegram
are catalogue keys that exist in English."""

from __future__ import annotations

import re
from pathlib import Path

from adapters.telegram import notices
from core.conversation.problem_replies import CARRIER_KINDS, ITEM_KINDS
from core.pushes.changes import PushKind
from core.replies.messages import EN
from core.returns.policy import DECLINE_REASONS, REASONS, STATES
from core.staff.flags import SHOPPER_NOTICE_KINDS

ROOT = Path(__file__).resolve().parents[3]
KEY = re.compile(r"""(?:\bt|\btext|tell_shopper)\([^"']*["']([a-z_]+(?:\.[a-z_]+)+)["']""")
MODULES = (
    "core/conversation/flows/returns.py",
    "core/conversation/flows/return_screens.py",
    "core/conversation/flows/handoff.py",
    "core/handoff/threads.py",
    "core/returns/notices.py",
    "core/pushes/changes.py",
    "core/staff/flags.py",
    "core/handoff/opening.py",
    "adapters/telegram/handlers.py",
    "core/conversation/problems.py",
    "core/conversation/problem_replies.py",
    "core/conversation/refunds.py",
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
    built |= {f"push.{kind.value}.title" for kind in PushKind}
    built |= {f"push.{kind}" for kind in ("shipped", "out_for_delivery", "failed_attempt")}
    built |= {f"flag_notice.{kind}" for kind in SHOPPER_NOTICE_KINDS}
    built |= {f"return.reason.{code}" for code in REASONS}
    built |= {f"return_notice.decline_reason.{code}" for code in DECLINE_REASONS}
    built |= {f"problem.{kind}.{part}" for kind in ITEM_KINDS for part in ("intro", "next")}
    built |= {f"problem.{kind}.next" for kind in CARRIER_KINDS}
    built |= {
        f"problem.{what}.{case}"
        for what in ("cancel", "address")
        for case in ("possible", "shipped", "finished")
    }
    built |= {f"problem.refund.{state}" for state in STATES}
    built |= {f"problem.refund.next.{state}" for state in STATES}
    assert sorted(built - EN.keys()) == []
    assert [name for name, _ in notices.command_menu()] == list(notices.COMMANDS)

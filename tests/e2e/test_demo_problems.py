"""`wismo demo --json` run as a script would: the issue's shopper messages, each as its kind."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import Wismo

pytestmark = pytest.mark.slow

SCRIPT = [
    (
        "tracking says 1003 was delivered yesterday but nothing here",
        "delivered_not_received",
        "1003",
    ),
    ("where is my refund", "refund_status", None),
    ("got a blue hoodie instead of the black one in order 1003", "wrong_item", "1003"),
    ("where is 00340434630429788277", "track_order", "1001"),
    ("i moved, can you send 1005 to my new place", "change_address", "1005"),
    ("ich möchte die bestellung 1005 stornieren", "cancel_order", "1005"),
    ("return order 2291", "start_return", "2291"),
    ("keep me updated on order 1047", "follow", "1047"),
    ("my purchases", "list_orders", None),
    ("tracking for 8812?", "track_order", "8812"),
]


def test_the_demo_answers_each_problem_as_its_own_kind(wismo: Wismo) -> None:
    result = wismo("demo", "--json", stdin="".join(f"{line}\n" for line, _, _ in SCRIPT))
    assert result.returncode == 0, result.stderr
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["intent"], r.get("order_number")) for r in replies] == [
        (intent, number) for _, intent, number in SCRIPT
    ]
    assert "DPD says parcel" in replies[0]["text"]  # the carrier's own delivery record

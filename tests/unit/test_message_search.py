"""What a Slack message is about: its e-mails, order numbers and tracking numbers; the flag kind."""

from __future__ import annotations

import pytest

from core.runtime.config import CoreConfig
from core.staff import guess_flag_kind, queries_in

CONFIG = CoreConfig()


def test_every_reference_once_emails_first() -> None:
    text = (
        "From (Jane.Doe@Example.com): order #1001 and 1002, parcel JJD0001234567 — "
        "again: 1001, jane.doe@example.com."
    )
    assert queries_in(text, CONFIG) == [
        "jane.doe@example.com",
        "1001",
        "1002",
        "JJD0001234567",
    ]


def test_at_most_five_and_none_in_small_talk() -> None:
    many = " ".join(str(n) for n in range(1001, 1011))
    assert queries_in(many, CONFIG) == ["1001", "1002", "1003", "1004", "1005"]
    assert queries_in("Lunch at noon? Room 12", CONFIG) == []


def test_the_shops_own_order_numbers() -> None:
    config = CoreConfig(order_number_pattern=r"WS-\d{4}")
    assert queries_in("Kunde fragt nach WS-2001.", config) == ["WS-2001"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The box arrived crushed and it is late", "damaged"),
        ("Wrong size sent", "wrong_item"),
        ("Customer moved, new address below", "address_problem"),
        ("Parcel never arrived", "lost"),
        ("Still waiting since Monday", "delayed"),
        ("Can you check 1001?", None),
    ],
)
def test_the_kind_guessed_from_the_words(text: str, kind: str | None) -> None:
    assert guess_flag_kind(text) == kind

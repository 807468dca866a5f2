"""The demo shopper reports problems in German, French and Spanish in the console: every kind
is understood, answered in the shopper's language, and passed to staff as in English."""

from __future__ import annotations

import json

import pytest
from sqlmodel import col, select

from core.conversation.service import Conversation
from core.storage.db import Database
from core.storage.models import Flag
from tests.unit.console.test_console_chat import Terminal, conversation, shop

__all__ = ["conversation", "shop"]  # the demo shop and its verified console shopper


async def said_json(terminal: Terminal, line: str) -> list[dict[str, object]]:
    return [json.loads(row) for row in (await terminal.say(line)).splitlines()]


KINDS = [
    (
        "de",
        [
            (
                "laut sendungsverfolgung ist 1003 zugestellt aber ich hab nichts bekommen",
                "delivered_not_received",
                "1003",
            ),
            ("1003 kam beschädigt an", "damaged", "1003"),
            ("In 1003 war der falsche Artikel", "wrong_item", "1003"),
            ("Bei 1003 fehlt die Mütze", "missing_item", "1003"),
            ("Bestellung 1001 hat Verspätung", "delayed", "1001"),
            ("1006 hängt seit Tagen fest", "stuck", "1006"),
            (
                "Der Bote wollte 1002 liefern, aber ich war nicht zu Hause",
                "delivery_attempted",
                "1002",
            ),
            ("Laut Tracking geht 1001 an den Absender zurück", "returned_to_sender", "1001"),
            ("Wo bleibt meine Rückerstattung für 1003?", "refund_status", "1003"),
            ("ich möchte die bestellung 1005 stornieren", "cancel_order", "1005"),
        ],
    ),
    (
        "fr",
        [
            (
                "le suivi dit que 1003 est livrée mais je n'ai rien reçu",
                "delivered_not_received",
                "1003",
            ),
            ("la commande 1003 est arrivée abîmée", "damaged", "1003"),
            ("j'ai reçu le mauvais article dans 1003", "wrong_item", "1003"),
            ("il manque le bonnet dans la commande 1003", "missing_item", "1003"),
            ("ma commande 1001 est en retard", "delayed", "1001"),
            ("le colis 1006 est bloqué depuis des jours", "stuck", "1006"),
            ("où en est mon remboursement pour 1003 ?", "refund_status", "1003"),
            ("je voudrais annuler la commande 1005", "cancel_order", "1005"),
        ],
    ),
    (
        "es",
        [
            (
                "el seguimiento dice que 1003 está entregado pero no he recibido nada",
                "delivered_not_received",
                "1003",
            ),
            ("el pedido 1003 llegó dañado", "damaged", "1003"),
            ("me llegó un artículo equivocado en el pedido 1003", "wrong_item", "1003"),
            ("mi pedido 1001 va con retraso", "delayed", "1001"),
            ("¿dónde está mi reembolso del pedido 1003?", "refund_status", "1003"),
            ("quiero cancelar el pedido 1005", "cancel_order", "1005"),
        ],
    ),
]


@pytest.mark.parametrize(("language", "lines"), KINDS, ids=[k[0] for k in KINDS])
async def test_each_kind_in_the_shoppers_language(
    conversation: Conversation, db: Database, language: str, lines: list[tuple[str, str, str]]
) -> None:
    terminal = Terminal(conversation, json_mode=True)
    for line, intent, number in lines:
        [reply] = await said_json(terminal, line)
        assert (reply["intent"], reply["order_number"]) == (intent, number), line
    async with db.session() as session:
        kinds = (await session.exec(select(Flag.kind).order_by(col(Flag.id)))).all()
    assert "delivered_not_received" in kinds and "cancel_order" in kinds
    assert len(kinds) == len(set(kinds))  # one flag per order and kind


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("ich möchte die bestellung 1005 stornieren", "kann also noch storniert werden"),
        ("je voudrais annuler la commande 1005", "peut donc encore être annulée"),
        ("quiero cancelar el pedido 1005", "aún se puede cancelar"),
        ("1003 kam beschädigt an", "Es tut mir leid, dass die Bestellung 1003 beschädigt"),
        ("¿dónde está mi reembolso del pedido 1003?", "no hay ningún reembolso en camino"),
    ],
)
async def test_the_answer_is_in_the_shoppers_language(
    conversation: Conversation, line: str, words: str
) -> None:
    said = await Terminal(conversation).say(line)
    assert words in said

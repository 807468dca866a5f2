"""What a Slack message is about: the orders it mentions and, for a flag, what seems wrong.

Staff point wismo at any message ("Look up order", "Flag issue" shortcuts): a forwarded
shopper e-mail, a colleague's question, a carrier's notice. `queries_in` finds every
e-mail address, order number and tracking number in it, in that order, once each.
"""

from __future__ import annotations

import re

from sqlmodel.ext.asyncio.session import AsyncSession

from core.runtime.config import CoreConfig
from core.staff.lookup import EMAIL, TRACKING_NUMBER, find_orders

_AROUND = "()[]{}'\"“”‘’.:!?"  # punctuation an address picks up from the sentence around it
MAX_QUERIES = 5  # each one is a card posted to the asker; a long thread must not flood them

# Words that point to a staff flag kind, most telling first (a crushed box that is also late
# is damaged). Matched as whole words, in any case.
_KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("damaged", r"damaged|broken|crushed|smashed|cracked|defective|torn"),
    ("wrong_item", r"wrong (?:item|size|colou?r|product|article)|not what (?:i|we|they) ordered"),
    ("address_problem", r"address|postcode|zip code|house number"),
    ("lost", r"lost|missing|stolen|never (?:arrived|came|received)"),
    ("delayed", r"late|delayed|delay|still waiting|stuck|not (?:arrived|here) yet"),
)


def queries_in(text: str, config: CoreConfig) -> list[str]:
    """Every e-mail address, order number and tracking number in `text` (at most MAX_QUERIES)."""
    found: list[str] = []
    seen: set[str] = set()

    def add(query: str) -> None:
        if query.upper() not in seen and len(found) < MAX_QUERIES:
            seen.add(query.upper())
            found.append(query)

    emails = [m.group(0).strip(_AROUND) for m in EMAIL.finditer(text)]
    for email in emails:
        add(email.lower())
    rest = EMAIL.sub(" ", text)
    for match in re.finditer(rf"(?<![\w-])#?({config.order_number_pattern})(?![\w-])", rest):
        add(match.group(1))
    for match in TRACKING_NUMBER.finditer(rest):
        add(match.group(0))
    return found


async def order_number_in(session: AsyncSession, text: str, config: CoreConfig) -> str | None:
    """The number of the first order `text` names unambiguously (one match for a query)."""
    for query in queries_in(text, config):
        result = await find_orders(session, query)
        if len(result.orders) == 1:
            return result.orders[0].number
    return None


def guess_flag_kind(text: str) -> str | None:
    """The staff flag kind the words of `text` point to, if any (a guess staff can change)."""
    for kind, words in _KIND_WORDS:
        if re.search(rf"\b(?:{words})\b", text, re.IGNORECASE):
            return kind
    return None

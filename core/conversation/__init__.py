"""The shopper's conversation: an inbound message or button press in, replies out. Intents,
verification (deep links, order number plus e-mail or postcode, lockouts), shopper actions and
the multi-step flows (returns, talking to a person). State lives in the database.

- service (`Conversation.handle`), intents (the parser), chat_identity (who is writing).
- identity (proof and link tokens), verify_flow (the verification dialogue).
- shopper_actions (track, orders, follow), flow_context (what a flow step gets), flows/.
"""

from typing import TYPE_CHECKING

from core import lazy_exports

if TYPE_CHECKING:
    from core.conversation.identity import UnknownOrderError, create_link_token, link_url
    from core.conversation.service import Conversation

__all__ = [
    "Conversation",
    "UnknownOrderError",
    "create_link_token",
    "link_url",
]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "Conversation": "core.conversation.service",
        "UnknownOrderError": "core.conversation.identity",
        "create_link_token": "core.conversation.identity",
        "link_url": "core.conversation.identity",
    },
)

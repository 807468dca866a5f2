"""Multi-step shopper conversations that the conversation hands button presses and text to.

Each flow keeps its step in `ConversationState` (flow name, step, data), never in memory,
so any replica can take the next message.
"""

from core.conversation.flow_context import Flow
from core.conversation.flows.handoff import HandoffFlow
from core.conversation.flows.returns import ReturnFlow


def default_flows() -> dict[str, Flow]:
    """The flows every Conversation gets unless it is given others."""
    return {"return": ReturnFlow(), "human": HandoffFlow()}

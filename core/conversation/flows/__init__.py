"""Multi-step shopper conversations that the conversation hands button presses and text to.

Each flow keeps its step in `ConversationState` (flow name, step, data), never in memory,
so any replica can take the next message.
"""

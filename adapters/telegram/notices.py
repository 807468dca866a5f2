"""The few words the Telegram adapter says on its own, about Telegram itself.

Everything about orders comes from the core's message catalogue; these cover what only a
Telegram chat can run into (a group chat, a stale button, an error on our side).
"""

from __future__ import annotations

GROUP_CHAT = (
    "I only talk about orders in a private chat, so nobody else sees them. "
    "Tap below to message me directly."
)
GROUP_CHAT_BUTTON = "Message me privately"
STALE_BUTTON = "This button no longer works. Send me a message instead."
SOMETHING_WENT_WRONG = "Sorry, something went wrong on our side. Please try again in a moment."

# The command menu Telegram clients show next to the message box.
COMMAND_MENU = {
    "track": "Where is my order?",
    "orders": "My orders",
    "help": "What I can do",
    "stop": "Stop updates",
    "cancel": "Cancel what we are doing",
}

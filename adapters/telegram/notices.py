"""The few words the Telegram adapter says on its own, about Telegram itself.

The words are the core catalogue's ("telegram.*"), like everything else a shopper reads;
they cover what only a Telegram chat can run into (a group chat, a stale button, an error
on our side). They are in the language the user's app reports when the update has a user;
the command menu is global, so it is in the catalogue's default language.
"""

from __future__ import annotations

from html import escape

from telegram import Update

from core.messages import text

# The command menu Telegram clients show next to the message box, in this order.
COMMANDS = ("track", "orders", "help", "stop", "cancel")


def locale_of(update: object) -> str | None:
    """The language the Telegram user's app reports (None: no user, or not said)."""
    user = update.effective_user if isinstance(update, Update) else None
    return (user.language_code or None) if user is not None else None


def html(words: str) -> str:
    """Catalogue wording as the text of a message sent with parse_mode HTML."""
    return escape(words, quote=False)


def command_menu(locale: str | None = None) -> list[tuple[str, str]]:
    """(command, description) pairs for setMyCommands."""
    return [(name, text(f"telegram.command.{name}", locale)) for name in COMMANDS]

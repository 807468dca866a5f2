"""The few words the Telegram adapter says on its own, about Telegram itself.

The words are the core catalogue's ("telegram.*"), like everything else a shopper reads;
they cover what only a Telegram chat can run into (a group chat, a stale button, an error
on our side). They are in the language the user's app reports when the update has a user.
The command menu is published in the catalogue's default language for everyone, and once
more for each language a catalogue translates it into (Telegram shows a user the menu of
their app's language).
"""

from __future__ import annotations

from html import escape

from telegram import Update

from core.replies import CATALOGUES, DEFAULT_LOCALE, text

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


def menu_languages() -> list[str]:
    """The languages (two-letter codes, as Telegram takes them) a catalogue translates the
    command menu into, besides the default."""
    keys = {f"telegram.command.{name}" for name in COMMANDS}
    return sorted(
        code
        for code, catalogue in CATALOGUES.items()
        if code != DEFAULT_LOCALE and len(code) == 2 and code.isalpha() and keys & catalogue.keys()
    )

"""The console's side of the Sender port: pushes appear in the chat as they are dispatched."""

from __future__ import annotations

import itertools

from adapters.console.screen import ConsoleScreen
from core.replies import Permanent, Reply, SendOutcome, Sent


class ConsoleSender:
    """Prints pushes to the console user(s) of this terminal; anyone else is refused.

    `recipients` are the console sender ids this terminal speaks for (the dispatcher
    addresses a push to ChannelIdentity.external_id). A push to someone else is a
    Permanent failure, so it is never shown to the wrong person.
    """

    def __init__(self, screen: ConsoleScreen, recipients: frozenset[str] | set[str]) -> None:
        self.screen = screen
        self.recipients = frozenset(recipients)
        self._refs = itertools.count(1)
        self.sent: list[tuple[str, Reply]] = []

    async def send(self, recipient: str, reply: Reply) -> SendOutcome:
        """Show the push and report it sent, with a reference unique in this process."""
        if recipient not in self.recipients:
            return Permanent(f"console user {recipient!r} is not at this terminal")
        self.screen.show([reply], push=True)
        self.sent.append((recipient, reply))
        return Sent(ref=f"console:{next(self._refs)}")

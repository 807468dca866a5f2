"""Stand-ins for the jobs tests: a sender that records what it was asked to send."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from core.replies.reply import Reply
from core.replies.sender import SendOutcome, Sent


class RecordingSender:
    """Answers with the scripted outcomes in turn (then Sent) and records every attempt."""

    def __init__(self, script: Iterable[SendOutcome] = ()) -> None:
        self.script: deque[SendOutcome] = deque(script)
        self.attempts: list[tuple[str, str]] = []
        self.sent: list[tuple[str, str]] = []

    async def send(self, recipient: str, reply: Reply) -> SendOutcome:
        text = reply.sections[0].text or "" if reply.sections else ""
        self.attempts.append((recipient, text))
        outcome = self.script.popleft() if self.script else Sent(ref=f"m{len(self.sent) + 1}")
        if isinstance(outcome, Sent):
            self.sent.append((recipient, text))
        return outcome


class RaisingSender:
    """A sender with a bug: it raises instead of answering."""

    async def send(self, recipient: str, reply: Reply) -> SendOutcome:
        raise RuntimeError("sender exploded")

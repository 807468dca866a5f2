"""The terminal the console channel writes to: replies, pushes, numbered choices, the prompt."""

from __future__ import annotations

import json
from typing import TextIO
from zoneinfo import ZoneInfo

from adapters.console.render import render_json, render_text
from core.replies import Button, Reply

PROMPT = "you › "
STAFF_PROMPT = "staff › "
BOT = "wismo › "
PUSH = "🔔 update › "


class ConsoleScreen:
    """Prints replies as text (or one JSON object per reply) and remembers the last buttons.

    Buttons are numbered across everything printed at once; typing a number picks one.
    Pushes renumber too, because what the reader sees last is what a number refers to.
    """

    def __init__(
        self,
        out: TextIO,
        zone: ZoneInfo,
        *,
        json_mode: bool = False,
        interactive: bool = False,
    ) -> None:
        self.out = out
        self.zone = zone
        self.json_mode = json_mode
        self.interactive = interactive
        self.choices: list[Button] = []
        self.waiting_for_input = False
        self.prompt = PROMPT  # the staff side of the demo shows STAFF_PROMPT

    def show(self, replies: list[Reply], *, push: bool = False, head: str | None = None) -> None:
        """Print `replies`; their buttons become the numbered choices.

        `head` replaces the "wismo ›" / "🔔 update ›" lead (a staff alert has its own).
        """
        if self.json_mode:
            for reply in replies:
                data = render_json(reply, self.zone, push=push)
                if head is not None:
                    data["alert"] = True
                self.out.write(json.dumps(data) + "\n")
            self.out.flush()
            self._remember(replies)
            return
        blocks: list[str] = []
        number = 1
        for reply in replies:
            text = render_text(reply, self.zone, first_button=number)
            number += len(reply.buttons)
            lead = head or (PUSH if push else BOT)
            blocks.append(lead + text.replace("\n", "\n" + " " * len(BOT)))
        if self.waiting_for_input:
            self.out.write("\n")  # a push arrived while the prompt was showing
        self.out.write("\n\n".join(blocks) + "\n\n")
        if push and self.waiting_for_input:
            self.out.write(self.prompt)
        self.out.flush()
        self._remember(replies)

    def _remember(self, replies: list[Reply]) -> None:
        choices = [button for reply in replies for button in reply.buttons]
        if choices:
            self.choices = choices

    def choice(self, line: str) -> Button | None:
        """The button a typed line presses: its number, or its label as shown ("Skip",
        "order 1004", "[2] Skip"); None when the line is neither (then it is text)."""
        text = line.strip()
        if text.isdigit() and 1 <= int(text) <= len(self.choices) and len(text) <= 2:
            return self.choices[int(text) - 1]
        typed = _label_key(_without_number(text))
        for button in self.choices:
            if typed and _label_key(button.label) == typed:
                return button
        return None

    def note(self, text: str) -> None:
        """A line from the demo itself (guide, farewell); not shown in JSON mode."""
        if not self.json_mode:
            self.out.write(text + "\n")
            self.out.flush()


def _without_number(text: str) -> str:
    """ "[2] Skip" as copied from the screen → "Skip"."""
    if text.startswith("[") and "]" in text:
        number, rest = text[1:].split("]", 1)
        if number.strip().isdigit():
            return rest
    return text


def _label_key(label: str) -> str:
    return " ".join(label.casefold().split())

"""The console channel: lines from a terminal or a pipe in, the conversation's replies out."""

from __future__ import annotations

import asyncio
import dataclasses
import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TextIO

from adapters.console.screen import ConsoleScreen
from core.replies import Inbound, Reply

CHANNEL = "console"
QUIT_COMMANDS = frozenset({"/quit", "/exit"})
# Plain words quit only at a keyboard: in piped input they may be what the shopper says.
QUIT_WORDS = QUIT_COMMANDS | {"quit", "exit"}


def quits(line: str, *, interactive: bool) -> bool:
    """True when `line` ends the chat: /quit or /exit always, plain words only at a keyboard."""
    word = line.strip().lower()
    return word in QUIT_COMMANDS or (interactive and word in QUIT_WORDS)


Handler = Callable[[Inbound], Awaitable[list[Reply]]]


class ConsoleChannel:
    """One console user talking to the conversation (`Conversation.handle`)."""

    def __init__(
        self,
        handle: Handler,
        screen: ConsoleScreen,
        *,
        sender_id: str,
        display_name: str = "",
        locale: str | None = "en",
    ) -> None:
        self.handle = handle
        self.screen = screen
        self.sender_id = sender_id
        self.display_name = display_name
        self.locale = locale

    def inbound_for(self, line: str) -> Inbound | None:
        """The inbound a typed line means: a numbered button, or text (None when blank)."""
        text = line.strip()
        if not text:
            return None
        button = self.screen.choice(text)
        base = Inbound(
            channel=CHANNEL,
            sender_id=self.sender_id,
            locale=self.locale,
            display_name=self.display_name,
        )
        if button is not None:
            return dataclasses.replace(base, action=button.action, payload=button.payload)
        return dataclasses.replace(base, text=text)

    async def say(self, line: str) -> list[Reply]:
        """Send one line to the conversation and print what comes back."""
        inbound = self.inbound_for(line)
        if inbound is None:
            return []
        replies = await self.handle(inbound)
        self.screen.show(replies)
        return replies

    async def run(self, lines: AsyncIterator[str]) -> int:
        """Answer every line until the input ends (or the user quits); returns lines answered."""
        answered = 0
        async for line in lines:
            if quits(line, interactive=self.screen.interactive):
                break
            if await self.say(line):
                answered += 1
        return answered


async def read_lines(
    stream: TextIO | None = None, *, screen: ConsoleScreen | None = None
) -> AsyncIterator[str]:
    """Lines of `stream` (stdin by default) without blocking the event loop.

    A daemon thread does the blocking reads: on Ctrl-C the process must not wait for one
    more line of input before it can exit (a default-executor thread would make it wait).
    With an interactive screen, shows the prompt before each line; ends at end of input.
    """
    source = stream or sys.stdin
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str] = asyncio.Queue()
    wanted = threading.Semaphore(0)

    def reader() -> None:
        while True:
            wanted.acquire()
            try:
                line = source.readline()
            except (OSError, ValueError):  # closed or unreadable: same as end of input
                line = ""
            loop.call_soon_threadsafe(queue.put_nowait, line)
            if line == "":
                return

    threading.Thread(target=reader, name="console-input", daemon=True).start()
    while True:
        if screen is not None and screen.interactive:
            screen.out.write(screen.prompt)
            screen.out.flush()
            screen.waiting_for_input = True
        wanted.release()
        try:
            line = await queue.get()
        finally:
            if screen is not None:
                screen.waiting_for_input = False
        if line == "":
            return
        yield line.rstrip("\r\n")

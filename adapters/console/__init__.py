"""The console channel: the conversation on a terminal, for the demo, development and tests."""

from adapters.console.channel import CHANNEL, ConsoleChannel, read_lines
from adapters.console.render import clean, render_json, render_text
from adapters.console.screen import ConsoleScreen
from adapters.console.sender import ConsoleSender

__all__ = [
    "CHANNEL",
    "ConsoleChannel",
    "ConsoleScreen",
    "ConsoleSender",
    "clean",
    "read_lines",
    "render_json",
    "render_text",
]

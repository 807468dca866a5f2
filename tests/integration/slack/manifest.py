"""The Slack app manifest as the README gives it to merchants (the YAML block with
`oauth_config`), read without a YAML library: its bot scopes and its bot events."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

README = Path(__file__).resolve().parents[3] / "README.md"


@cache
def manifest_text() -> str:
    blocks = re.findall(r"```ya?ml\n(.*?)```", README.read_text(), re.S)
    [manifest] = [block for block in blocks if "oauth_config:" in block]
    return manifest


def _items_under(key: str) -> frozenset[str]:
    lines = manifest_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"{key}:")
    indent = len(lines[start]) - len(lines[start].lstrip())
    found = []
    for line in lines[start + 1 :]:
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        item = re.match(r"\s*-\s*([\w:.]+)", line)
        if item:
            found.append(item.group(1))
    return frozenset(found)


def manifest_scopes() -> frozenset[str]:
    """The bot scopes the manifest asks for."""
    return _items_under("bot")


def manifest_shortcuts() -> dict[str, tuple[str, str]]:
    """callback_id -> (name, type) of each shortcut the manifest declares."""
    entries = re.findall(
        r"-\s*name:\s*(.+?)\s*\n\s*type:\s*(\w+)\s*\n\s*callback_id:\s*(\w+)", manifest_text()
    )
    return {callback: (name, kind) for name, kind, callback in entries}


def manifest_events() -> frozenset[str]:
    """The bot events the manifest subscribes to."""
    return _items_under("bot_events")

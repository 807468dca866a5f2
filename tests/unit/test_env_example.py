"""`.env.example` lists every setting once, with a one-line comment and its real default."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.settings import Settings

EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"
VARIABLE = re.compile(r"^# WISMO_([A-Z0-9_]+)=(.*)$")


def _entries() -> dict[str, tuple[str, str]]:
    """{field name: (value shown, comment line above it)} from .env.example."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    entries: dict[str, tuple[str, str]] = {}
    for index, line in enumerate(lines):
        match = VARIABLE.match(line)
        if match:
            name = match.group(1).lower()
            assert name not in entries, f"WISMO_{match.group(1)} is listed twice"
            above = lines[index - 1] if index else ""
            comment = "" if VARIABLE.match(above) else above
            entries[name] = (match.group(2), comment)
    return entries


ENTRIES = _entries()


def test_every_setting_is_listed_and_nothing_else():
    fields = set(Settings.model_fields)
    assert sorted(fields - set(ENTRIES)) == [], "settings missing from .env.example"
    assert sorted(set(ENTRIES) - fields) == [], ".env.example lists unknown settings"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_each_setting_has_a_comment_and_its_default(name: str, monkeypatch: pytest.MonkeyPatch):
    value, comment = ENTRIES[name]
    assert comment.startswith("# ") and len(comment) > 10, f"WISMO_{name.upper()} has no comment"
    default = Settings.model_fields[name].default
    shown = f"WISMO_{name.upper()}"
    if value == "":
        assert default in (None, ""), f"{shown} shows no value but defaults to {default!r}"
        return
    # The value shown, read the way wismo reads it, must give the default.
    monkeypatch.setenv(f"WISMO_{name.upper()}", value)
    assert getattr(Settings(_env_file=None), name) == default  # type: ignore[call-arg]

"""Every `wismo` command's --help reads as the docstring says, and names only real settings."""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from bot.cli import app
from bot.settings import Settings


def _commands() -> list[tuple[str, Any]]:
    """Every command and sub-command, found by walking the Click tree (none hard-coded)."""
    found: list[tuple[str, Any]] = []

    def walk(prefix: str, command: Any) -> None:
        found.append((prefix, command))
        # Typer ships its own copy of Click, so ask for sub-commands rather than a class.
        for name, sub in getattr(command, "commands", {}).items():
            walk(f"{prefix} {name}".strip(), sub)

    walk("", typer.main.get_command(app))
    return found


COMMANDS = _commands()


def _help(path: str) -> str:
    result = CliRunner().invoke(app, [*path.split(), "--help"], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    return result.output


def test_every_command_is_found():
    names = {path for path, _ in COMMANDS}
    assert {"run", "demo", "chat", "seed", "link", "import", "insights"} <= names
    assert {"db upgrade", "db current", "apikey create", "apikey list"} <= names


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p or "wismo" for p, _ in COMMANDS])
def test_help_shows_each_paragraph_whole(path: str, command: Any):
    """A docstring wrapped at 100 columns must not come out with sentences cut in two."""
    assert command.help, f"`wismo {path}` has no help text"
    lines = [line.strip() for line in _help(path).splitlines()]
    for paragraph in inspect.cleandoc(command.help).split("\n\n"):
        whole = " ".join(paragraph.split())
        assert whole in lines, f"`wismo {path} --help` breaks up: {whole!r}"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p or "wismo" for p, _ in COMMANDS])
def test_help_names_only_real_settings(path: str, command: Any):
    known = {f"WISMO_{name.upper()}" for name in Settings.model_fields}
    named = set(re.findall(r"WISMO_[A-Z0-9_]+", _help(path)))
    assert named <= known, f"`wismo {path} --help` names unknown settings {named - known}"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p or "wismo" for p, _ in COMMANDS])
def test_help_shows_flags_without_a_type_and_arguments_in_capitals(path: str, command: Any):
    text = _help(path)
    assert "<bool>" not in text, f"`wismo {path} --help` shows a flag as taking a value"
    usage = next(line for line in text.splitlines() if "Usage:" in line)
    assert "{" not in usage, usage
    for param in command.params:
        if param.param_type_name == "argument":
            assert param.name.upper() in usage, usage


def test_link_usage_reads_as_the_readme_writes_it():
    usage = next(line for line in _help("link").splitlines() if "Usage:" in line)
    assert usage.strip() == "Usage: wismo link [OPTIONS] ORDER_NUMBER"

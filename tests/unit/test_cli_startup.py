"""`wismo --help` starts at once: asking for help loads no chat SDK, web framework or
charting library (they cost seconds on a busy machine), for the root command and for
every sub-command."""

from __future__ import annotations

import json
import subprocess
import sys

import typer

from bot.cli import app

HEAVY = (
    "telegram", "slack_bolt", "slack_sdk", "fastapi", "uvicorn", "matplotlib", "sqlalchemy",
    "pydantic", "pydantic_settings", "aiohttp", "apscheduler",
)  # fmt: skip


def _paths() -> list[list[str]]:
    found: list[list[str]] = []

    def walk(prefix: list[str], command: object) -> None:
        found.append(prefix)
        for name, sub in getattr(command, "commands", {}).items():
            walk([*prefix, name], sub)

    walk([], typer.main.get_command(app))
    return found


PROBE = """
import json, sys
from bot.cli import main
paths, heavy = json.loads(sys.argv[1]), json.loads(sys.argv[2])
for path in paths:
    sys.argv = ["wismo", *path, "--help"]
    try:
        main()
    except SystemExit as stop:
        assert stop.code in (0, None), (path, stop.code)
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & set(heavy))))
"""


def test_help_of_every_command_loads_no_heavy_package() -> None:
    paths = _paths()
    assert ["insights"] in paths and ["apikey", "rotate"] in paths
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(paths), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == [], f"`wismo ... --help` imported {loaded}"
    assert "Usage: wismo insights" in result.stdout

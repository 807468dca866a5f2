"""Run the real `wismo` console script in a scratch directory with its own database."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

WISMO = Path(sys.executable).parent / "wismo"


@dataclass
class Wismo:
    """`wismo` as a user starts it: in `cwd`, with WISMO_* settings from `env`."""

    cwd: Path
    env: dict[str, str]

    def __call__(
        self, *args: str, stdin: str = "", timeout: float = 60, **env: str
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(WISMO), *args],
            cwd=self.cwd,
            env={**self.env, **env},
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start(self, *args: str, **env: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [str(WISMO), *args],
            cwd=self.cwd,
            env={**self.env, **env},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


@pytest.fixture
def wismo(tmp_path: Path) -> Wismo:
    """The CLI with no inherited WISMO_* settings and a database in `tmp_path`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WISMO_")}
    env["WISMO_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'wismo.db'}"
    return Wismo(cwd=tmp_path, env=env)

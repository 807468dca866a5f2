"""Run the real `wismo` console script in a scratch directory with its own database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
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


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(base: str, service: subprocess.Popen[str], timeout: float = 30) -> None:
    """Until `wismo run` at `base` answers /readyz; fails if it exits or takes too long."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{base}/readyz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert service.poll() is None, service.stderr.read() if service.stderr else ""
        assert time.monotonic() < deadline, "wismo run did not become ready"
        time.sleep(0.1)  # polling for the process to listen, not waiting for time to pass

"""Every command runs on uvloop where it is installed (everywhere but Windows)."""

from __future__ import annotations

import asyncio
import sys

import pytest

from bot.commands.common import run


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop does not build on Windows")
def test_a_command_runs_on_uvloop_and_returns_what_its_work_returns() -> None:
    async def work() -> tuple[str, int]:
        await asyncio.sleep(0)
        return type(asyncio.get_running_loop()).__module__, 42

    loop_module, answer = run(work())
    assert loop_module.startswith("uvloop") and answer == 42


def test_a_failure_in_the_work_reaches_the_command() -> None:
    async def work() -> None:
        raise LookupError("no such order")

    with pytest.raises(LookupError, match="no such order"):
        run(work())

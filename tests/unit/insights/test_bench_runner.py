"""`make bench`'s runner: parses each benchmark's figures, survives one that fails, tabulates."""

from __future__ import annotations

import io
import json
import sys

import pytest
from rich.console import Console

from bench.__main__ import Outcome, parse_result, run_one, table
from bench.report import figure

GOOD = {
    "benchmark": "fake",
    "figures": [figure("p99", 3.2, "ms", target=5), figure("rate", 800, "/s", target=1000,
                                                            better="higher")],
    "params": {"orders": 10},
}  # fmt: skip


def _console() -> Console:
    return Console(file=io.StringIO(), width=160)


def test_the_last_stdout_line_carries_the_figures() -> None:
    assert parse_result("noise\n" + json.dumps(GOOD) + "\n\n")["params"] == {"orders": 10}
    with pytest.raises(ValueError, match="printed nothing"):
        parse_result("\n")
    with pytest.raises(ValueError, match=r"not a bench/report\.py result"):
        parse_result('{"benchmark": "x"}')


def test_figures_know_whether_they_meet_their_target() -> None:
    assert GOOD["figures"][0]["ok"] is True  # 3.2 <= 5
    assert GOOD["figures"][1]["ok"] is False  # 800 < 1000 where higher is better
    assert figure("info", 1.0, "s")["ok"] is None


def test_a_benchmark_runs_as_a_process_and_its_figures_are_kept() -> None:
    script = (
        "import sys, json; print('generating…', file=sys.stderr); print('chatter'); "
        f"print(json.dumps({GOOD!r}))"
    )
    outcome = run_one("fake", 60, _console(), [sys.executable, "-c", script])
    assert outcome.ok and outcome.error is None
    assert [f["name"] for f in outcome.figures] == ["p99", "rate"]


def test_a_failing_benchmark_is_reported_with_the_end_of_its_stderr() -> None:
    script = "import sys; print('step 1', file=sys.stderr); sys.exit('database locked')"
    outcome = run_one("broken", 60, _console(), [sys.executable, "-c", script])
    assert not outcome.ok
    assert outcome.error == "exit code 1. step 1 | database locked"

    silent = run_one("silent", 60, _console(), [sys.executable, "-c", "print('hi')"])
    assert not silent.ok and silent.error is not None and silent.error.startswith("no figures")

    slow = run_one("slow", 0.5, _console(), [sys.executable, "-c", "import time; time.sleep(5)"])
    assert not slow.ok and slow.error is not None and "timed out after" in slow.error


def test_the_table_shows_targets_and_failures_side_by_side() -> None:
    console = _console()
    console.print(
        table(
            [
                Outcome("fake", True, 1.0, GOOD["figures"]),  # type: ignore[arg-type]
                Outcome("broken", False, 1.0, error="exit code 1. database locked"),
            ]
        )
    )
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "p99" in out and "3.2 ms" in out and "≤ 5 ms" in out
    assert "800 /s" in out and "≥ 1000 /s" in out
    assert "FAILED" in out and "exit code 1. database locked" in out

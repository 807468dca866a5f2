"""The one output format every benchmark in `bench/` prints, so `make bench` can tabulate it.

A benchmark module (`python -m bench.NAME`) prints, as its LAST line on stdout, one JSON
object:

    {"benchmark": "lookup",
     "figures": [{"name": "order lookup p95", "value": 4.1, "unit": "ms",
                  "target": 50, "better": "lower", "ok": true}],
     "params": {"orders": 100000}}

`target` is optional (null when a figure is informative only); `better` is "lower" or
"higher" and says which side of the target passes. Use `figure()` and `emit()` below
rather than building the dict by hand. Anything printed before the last line (progress,
logs) is ignored by the runner; write progress to stderr.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Literal


def figure(
    name: str,
    value: float,
    unit: str,
    *,
    target: float | None = None,
    better: Literal["lower", "higher"] = "lower",
) -> dict[str, Any]:
    """One measured figure, with its target and whether it meets it (None when no target)."""
    ok: bool | None = None
    if target is not None:
        ok = value <= target if better == "lower" else value >= target
    return {
        "name": name,
        "value": round(float(value), 4),
        "unit": unit,
        "target": target,
        "better": better,
        "ok": ok,
    }


def emit(benchmark: str, figures: list[dict[str, Any]], **params: Any) -> None:
    """Print the benchmark's result as the last line of stdout, in the format above."""
    sys.stdout.flush()
    print(json.dumps({"benchmark": benchmark, "figures": figures, "params": params}))
    sys.stdout.flush()

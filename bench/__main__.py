"""`make bench` (`python -m bench`): every benchmark in bench/, one table, bench/results.json.

Each benchmark runs as its own process (`python -m bench.NAME`), one after another so
they do not compete for the CPU, and prints its figures as the last stdout line (see
bench/report.py). A benchmark that crashes, times out or prints no figures is shown as
FAILED with the end of its stderr, and the others still run. The table puts each
figure beside its target; results.json keeps everything plus the machine it ran on.

    python -m bench                       # all of them
    python -m bench --only lookup,memory  # some
    python -m bench --list                # what would run
    python -m bench telegram --quick      # one, with its own options after its name
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results.json"
# The order they run in; anything else found in bench/ runs after these.
PREFERRED = ("lookup", "telegram_pipeline", "dispatch", "tick", "ingest", "memory", "insights")
# The million-order shop the memory benchmark generates, reused by the insights benchmark
# (generating it takes minutes); deleted after the run unless the caller set the path.
SHARED_SHOP = "WISMO_BENCH_SHOP_DB"
# Helpers the end-to-end benchmarks start as processes of their own; not benchmarks.
NOT_BENCHMARKS = frozenset(
    {"__init__", "__main__", "report", "botapi", "echo_bot", "processes", "slack_api", "bolt_app"}
)
DEFAULT_TIMEOUT = 45 * 60.0


@dataclass
class Outcome:
    benchmark: str
    ok: bool
    seconds: float
    figures: list[dict[str, Any]] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def discover() -> list[str]:
    """Benchmark modules in bench/: files that run as `python -m bench.NAME`."""
    found = []
    for path in sorted(BENCH_DIR.glob("*.py")):
        name = path.stem
        if name in NOT_BENCHMARKS or name.startswith("_"):
            continue
        if '__name__ == "__main__"' in path.read_text(encoding="utf-8"):
            found.append(name)
    ordered = [n for n in PREFERRED if n in found]
    return ordered + [n for n in found if n not in ordered]


def parse_result(stdout: str) -> dict[str, Any]:
    """The JSON object on the last non-empty stdout line; ValueError when there is none."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    if not lines:
        raise ValueError("printed nothing on stdout")
    data = json.loads(lines[-1])
    if not isinstance(data, dict) or not isinstance(data.get("figures"), list):
        raise ValueError("last stdout line is not a bench/report.py result")
    return data


def run_one(
    name: str, timeout: float, console: Console, command: list[str] | None = None
) -> Outcome:
    """Run `python -m bench.NAME` (or `command`), relaying its stderr live, parsing its figures."""
    console.print(f"[bold]▶ {name}[/bold]")
    started = time.perf_counter()
    process = subprocess.Popen(
        command or [sys.executable, "-m", f"bench.{name}"],
        cwd=BENCH_DIR.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    recent: deque[str] = deque(maxlen=20)

    def relay() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            recent.append(line.rstrip())
            console.print(f"  {line.rstrip()}", style="dim", highlight=False, markup=False)

    chunks: list[str] = []

    def collect() -> None:
        assert process.stdout is not None
        chunks.append(process.stdout.read())

    # communicate() would read stderr too and race the relay; each pipe gets its own reader.
    readers = [threading.Thread(target=relay, daemon=True), threading.Thread(target=collect)]
    for reader in readers:
        reader.start()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        for reader in readers:
            reader.join(5)
        error = f"timed out after {timeout:.0f} s. {_tail(recent)}"
        return Outcome(name, False, time.perf_counter() - started, error=error)
    for reader in readers:
        reader.join(5)
    stdout = "".join(chunks)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        error = f"exit code {process.returncode}. {_tail(recent)}"
        return Outcome(name, False, seconds, error=error)
    try:
        data = parse_result(stdout)
    except ValueError as exc:
        return Outcome(name, False, seconds, error=f"no figures: {exc}")
    return Outcome(name, True, seconds, data["figures"], data.get("params") or {})


def _tail(recent: deque[str], lines: int = 3) -> str:
    kept = [line.strip() for line in recent if line.strip()][-lines:]
    return " | ".join(kept)[-400:]


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory_gb = round(pages / 1024**3, 1)
    except (ValueError, OSError):
        pass
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return {
        "os": os_name,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": memory_gb,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _value(figure: dict[str, Any]) -> str:
    value = figure.get("value")
    unit = figure.get("unit") or ""
    if isinstance(value, int | float):
        text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
        return f"{text} {unit}".strip()
    return str(value)


def _target(figure: dict[str, Any]) -> str:
    target = figure.get("target")
    if target is None:
        return ""
    sign = "≤" if figure.get("better", "lower") == "lower" else "≥"
    return f"{sign} {target:g} {figure.get('unit') or ''}".strip()


def table(outcomes: list[Outcome]) -> Table:
    """One row per figure, target beside it; a failed benchmark is one FAILED row."""
    result = Table(title="wismo benchmarks", title_justify="left")
    for name in ("Benchmark", "Figure", "Value", "Target", ""):
        result.add_column(name, justify="right" if name in ("Value", "Target") else "left")
    for outcome in outcomes:
        if not outcome.ok:
            result.add_row(outcome.benchmark, "[red]FAILED[/red]", "", "", "✗",
                           style="red")  # fmt: skip
            result.add_row("", outcome.error or "", "", "", "", style="dim")
            continue
        for index, fig in enumerate(outcome.figures):
            mark = {True: "[green]✓[/green]", False: "[red]✗[/red]", None: ""}[fig.get("ok")]
            result.add_row(outcome.benchmark if index == 0 else "", str(fig.get("name", "")),
                           _value(fig), _target(fig), mark)  # fmt: skip
        result.add_section()
    return result


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and not argv[0].startswith("-"):
        return run_named(argv[0], argv[1:])
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated benchmark names (default: all)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds each")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON")
    args = parser.parse_args(argv)
    console = Console()
    names = discover()
    if args.list:
        console.print("\n".join(names))
        return 0
    if args.only:
        wanted = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in wanted if n not in names]
        if unknown:
            console.print(f"[red]unknown benchmark(s): {', '.join(unknown)}; "
                          f"known: {', '.join(names)}[/red]")  # fmt: skip
            return 2
        names = wanted
    started_at = datetime.now(UTC)
    about = machine()
    with tempfile.TemporaryDirectory(prefix="wismo-bench-") as scratch:
        os.environ.setdefault(SHARED_SHOP, str(Path(scratch) / "million-orders.db"))
        outcomes = [run_one(name, args.timeout, console) for name in names]
    console.print(table(outcomes))
    console.print(
        f"{about['os']}, Python {about['python']}, {about['cpus']} CPUs ({about['cpu_model']}), "
        f"{about['memory_gb']} GB; load average at start {about['load_average_at_start']}"
    )
    args.out.write_text(
        json.dumps(
            {
                "started_at": started_at.isoformat(timespec="seconds"),
                "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": about,
                "benchmarks": [asdict(o) for o in outcomes],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    console.print(f"results written to {args.out}")
    return 0 if all(o.ok for o in outcomes) else 1


def run_named(name: str, options: list[str]) -> int:
    """`python -m bench NAME [OPTIONS]`: one benchmark with its own options, then its table."""
    console = Console()
    names = discover()
    if name not in names:
        console.print(f"[red]unknown benchmark {name!r}; known: {', '.join(names)}[/red]")
        return 2
    if any(option in ("-h", "--help") for option in options):
        return subprocess.call(
            [sys.executable, "-m", f"bench.{name}", *options], cwd=BENCH_DIR.parent
        )
    command = [sys.executable, "-m", f"bench.{name}", *options]
    outcome = run_one(name, DEFAULT_TIMEOUT, console, command)
    console.print(table([outcome]))
    about = machine()
    console.print(
        f"{about['os']}, Python {about['python']}, {about['cpus']} CPUs; "
        f"load average at start {about['load_average_at_start']}"
    )
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())

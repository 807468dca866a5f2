"""How long `wismo --help` takes: the command line must start at once.

    python -m bench.startup             # 7 runs of each
    python -m bench.startup --runs 15

Runs the installed `wismo` console script (the one beside this Python) as a user would,
`wismo --help` and `wismo SUB --help` for every sub-command, each as a fresh process, and
keeps the median wall-clock and CPU time of each (the first run of each warms the file
cache and is not counted; CPU time moves less than wall time when other work shares the
machine). Prints the root command's median, the slowest sub-command's median
(target <= 0.3 s on a quiet machine, issue 18), and the bare Python interpreter's start
for comparison. Before the command modules imported their work lazily, `wismo --help`
took 2.4-2.8 s: it loaded Slack, Telegram, FastAPI and matplotlib.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.report import emit, figure

TARGET_SECONDS = 0.3


def wismo_script() -> str:
    """The `wismo` console script of this environment."""
    script = Path(sys.executable).with_name("wismo")
    if not script.exists():
        raise SystemExit(f"no wismo script beside {sys.executable}; run `make .venv/.installed`")
    return str(script)


def sub_commands() -> list[list[str]]:
    """Every sub-command path, read from the CLI's Click tree."""
    import typer

    from bot.cli import app

    found: list[list[str]] = []

    def walk(prefix: list[str], command: object) -> None:
        subs = getattr(command, "commands", {})
        for name, sub in subs.items():
            found.append([*prefix, name])
            walk([*prefix, name], sub)

    walk([], typer.main.get_command(app))
    return found


CPU: dict[str, float] = {}  # median CPU seconds (user + system) per command line


def median_seconds(argv: list[str], runs: int) -> float:
    """Median wall time of `argv` over `runs` runs, after one warm-up run; the median CPU
    time goes to CPU (less sensitive than wall time to other work on the machine)."""
    env = {**os.environ, "COLUMNS": "100"}
    times, cpu = [], []
    for index in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                       check=True)  # fmt: skip
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if index:
            times.append(time.perf_counter() - start)
            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    CPU[" ".join(argv[1:])] = statistics.median(cpu)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command")
    args = parser.parse_args(argv)
    script = wismo_script()
    root = median_seconds([script, "--help"], args.runs)
    per_command = {
        " ".join(path): median_seconds([script, *path, "--help"], args.runs)
        for path in sub_commands()
    }
    slowest = max(per_command, key=per_command.__getitem__)
    python = median_seconds([sys.executable, "-c", "pass"], args.runs)
    for name, seconds in sorted(per_command.items()):
        cpu = CPU[f"{name} --help"]
        print(f"wismo {name} --help: {seconds:.3f} s ({cpu:.3f} s CPU)", file=sys.stderr)
    emit(
        "startup",
        [
            figure("wismo --help", root, "s", target=TARGET_SECONDS),
            figure(
                f"slowest sub-command --help (wismo {slowest})",
                per_command[slowest],
                "s",
                target=TARGET_SECONDS,
            ),
            figure("wismo --help, CPU time", CPU["--help"], "s"),
            figure(
                "slowest sub-command --help, CPU time",
                max(CPU[f"{name} --help"] for name in per_command),
                "s",
            ),
            figure("bare python -c pass", python, "s"),
        ],
        runs=args.runs,
        commands=len(per_command) + 1,
        load_average=os.getloadavg()[0],
    )


if __name__ == "__main__":
    main()

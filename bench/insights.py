"""How long insights and predicted windows take on a big shop (SQLite).

    python -m bench.insights                      # the shared million-order shop, or 200,000
    python -m bench.insights --database big.db    # reuse (or keep) a generated file

Measures, on the sample shop: bringing the insights rollups up to date (`wismo run`'s
scheduler does it every minute; the generator builds them, as a shop in service has
them), `build_report` for the last 30 days (every measure, all carriers) and for one
carrier, and `wismo insights` as shipped — its own process, wall clock, with the default
backtest of predicted windows and with `--no-accuracy`; building the transit model that
predicted windows come from (the scan of 180 days of deliveries, done at most every six
hours); and
`predicted_window` for parcels without a carrier ETA once the model is warm — the cost
"where is my order?" pays for it. With WISMO_BENCH_SHOP_DB set (make bench sets it), the
shop the memory benchmark generated is reused. Prints the result as the last stdout line.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.report import emit, figure
from core.insights import rollups
from core.insights.report import build_report
from core.runtime.clock import SystemClock
from core.storage.db import Database
from core.tracking.prediction import HISTORY, ModelCache, predicted_window
from core.tracking.transit import build_model

TARGET_REPORT_S = 2.0
TARGET_CLI_S = 3.0
TARGET_WINDOW_P99_MS = 5.0
DEFAULT_ORDERS = 200_000


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def open_parcels(path: Path, count: int) -> list[int]:
    """Ids of shipments still on their way without a carrier ETA (what gets a prediction)."""
    connection = sqlite3.connect(path)
    rows = connection.execute(
        "SELECT id FROM shipment WHERE delivered_at IS NULL AND eta IS NULL "
        "AND status IN ('in_transit', 'info_received', 'out_for_delivery') LIMIT ?",
        (count,),
    ).fetchall()
    connection.close()
    return [int(r[0]) for r in rows]


async def measure(path: Path, parcels: list[int]) -> dict[str, float]:
    database = Database(f"sqlite+aiosqlite:///{path}")
    now = datetime.now(UTC)
    try:
        started = time.perf_counter()
        await rollups.refresh(database, SystemClock(), holder="bench")
        refresh_s = time.perf_counter() - started
        async with database.session() as session:
            started = time.perf_counter()
            report = await build_report(session, now=now, since=now - timedelta(days=30))
            report_s = time.perf_counter() - started
            carrier = report.carriers[0].carrier if report.carriers else None
            started = time.perf_counter()
            await build_report(session, now=now, since=now - timedelta(days=30), carrier=carrier)
            carrier_s = time.perf_counter() - started
            started = time.perf_counter()
            model = await build_model(session, since=now - HISTORY, until=now)
            model_s = time.perf_counter() - started
            log(f"report {report_s:.2f} s ({report.on_time.delivered:,} deliveries), "
                f"one carrier {carrier_s:.2f} s, model {model_s:.2f} s "
                f"({model.deliveries:,} deliveries)")  # fmt: skip
            cache = ModelCache(background=False)
            await cache.get(session, now)  # warm, as it is for all but one question in 6 h
            latencies = []
            predicted = 0
            for shipment_id in parcels:
                started = time.perf_counter()
                window = await predicted_window(session, shipment_id, now=now, cache=cache)
                latencies.append(time.perf_counter() - started)
                predicted += window is not None
    finally:
        await database.dispose()
    ordered = sorted(latencies)
    return {
        "refresh_s": refresh_s,
        "report_s": report_s,
        "carrier_s": carrier_s,
        "model_s": model_s,
        "deliveries": float(report.on_time.delivered),
        "window_p50_ms": statistics.median(ordered) * 1000 if ordered else 0.0,
        "window_p99_ms": ordered[int(0.99 * (len(ordered) - 1))] * 1000 if ordered else 0.0,
        "predicted_share": predicted / len(parcels) if parcels else 0.0,
    }


def wismo_insights(path: Path, *options: str) -> float:
    """Wall-clock seconds of `wismo insights` on `path`, as a merchant runs it."""
    wismo = Path(sys.executable).with_name("wismo")
    env = {**os.environ, "WISMO_DATABASE_URL": f"sqlite+aiosqlite:///{path}"}
    started = time.perf_counter()
    subprocess.run([str(wismo), "insights", "--json", *options], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=DEFAULT_ORDERS, help="when generating")
    parser.add_argument("--parcels", type=int, default=1_000, help="predicted windows to time")
    parser.add_argument(
        "--database",
        type=Path,
        default=os.environ.get("WISMO_BENCH_SHOP_DB") or None,
        help="reuse (or keep) this SQLite file (default: $WISMO_BENCH_SHOP_DB, else a temp file)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wismo-bench-insights-") as tmp:
        path = args.database or Path(tmp) / "shop.db"
        if not path.exists():
            log(f"generating {args.orders:,} orders into {path} …")
            subprocess.run(
                [sys.executable, "-m", "bench.lookup", "--generate-only", "--orders",
                 str(args.orders), "--database", str(path)],
                check=True,
            )  # fmt: skip
        orders = sqlite3.connect(path).execute("SELECT count(*) FROM shop_order").fetchone()[0]
        parcels = open_parcels(path, args.parcels)
        log(f"{orders:,} orders; timing insights and {len(parcels):,} predicted windows …")
        result = asyncio.run(measure(path, parcels))
        result["cli_s"] = wismo_insights(path)
        result["cli_quick_s"] = wismo_insights(path, "--no-accuracy")
    emit(
        "insights",
        [
            figure("rollups refresh (nothing new)", result["refresh_s"], "s"),
            figure("insights report, 30 days", result["report_s"], "s", target=TARGET_REPORT_S),
            figure(
                "insights report, one carrier", result["carrier_s"], "s", target=TARGET_REPORT_S
            ),
            figure("wismo insights as shipped", result["cli_s"], "s", target=TARGET_CLI_S),
            figure("wismo insights --no-accuracy", result["cli_quick_s"], "s"),
            figure("transit model build (every 6 h)", result["model_s"], "s"),
            figure("predicted window p50", result["window_p50_ms"], "ms"),
            figure(
                "predicted window p99", result["window_p99_ms"], "ms", target=TARGET_WINDOW_P99_MS
            ),
        ],
        orders=orders,
        deliveries_in_period=int(result["deliveries"]),
        parcels=len(parcels),
        predicted_share=round(result["predicted_share"], 3),
        database="sqlite",
    )


if __name__ == "__main__":
    main()

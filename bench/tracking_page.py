"""Tracking page through `wismo run`: time from request to the whole HTML page, and its size.

Starts `wismo run` (HTTP app only) on a fresh demo shop in its own process and asks for
each order's page once over real HTTP — one at a time for latency, then with several
readers at once for the rate (wall clock). Every request is another order's link: nothing
is answered twice.

    python -m bench.tracking_page [--orders 5000] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from bench.ingest import free_port, log, p99, wait_ready, wismo
from bench.report import emit, figure
from core.runtime.clock import SystemClock
from core.runtime.config import CoreConfig
from core.tracking_page import page_token

TARGET_P99_MS = 20.0
TARGET_BYTES = 50_000
SECRET = "bench-tracking-page-secret"


async def measure(base: str, process: subprocess.Popen[bytes], paths: list[str], readers: int):  # type: ignore[no-untyped-def]
    """(latencies ms one at a time, sizes, pages/s with `readers` at once, /healthz ms)."""
    half = len(paths) // 2
    one_by_one, together = paths[:half], paths[half:]
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        await wait_ready(client, process)
        latencies: list[float] = []
        sizes: list[int] = []
        health: list[float] = []  # the baseline: the app's cheapest answer, same connection
        for path in one_by_one:
            started = time.perf_counter()
            await client.get("/healthz")
            health.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            response = await client.get(path)
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200 or "<h1>Order " not in response.text:
                raise SystemExit(f"{path} answered {response.status_code}: {response.text[:200]}")
            sizes.append(len(response.content))
        queue = list(together)

        async def reader() -> None:
            while queue:
                path = queue.pop()
                response = await client.get(path)
                if response.status_code != 200:
                    raise SystemExit(f"{path} answered {response.status_code}")

        started = time.perf_counter()
        await asyncio.gather(*(reader() for _ in range(readers)))
        rate = len(together) / (time.perf_counter() - started)
    return latencies, sizes, rate, health


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=5_000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wismo-bench-page-") as tmp:
        port = free_port()
        database = Path(tmp) / "wismo.db"
        env = {
            **os.environ,
            "WISMO_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
            "WISMO_HTTP_HOST": "127.0.0.1",
            "WISMO_HTTP_PORT": str(port),
            "WISMO_LOG_LEVEL": "WARNING",
            "WISMO_SECRET_KEY": SECRET,
        }
        for name in ("WISMO_TELEGRAM_TOKEN", "WISMO_SLACK_BOT_TOKEN", "WISMO_AFTERSHIP_API_KEY"):
            env.pop(name, None)
        log(f"seeding {args.orders:,} demo orders …")
        subprocess.run(
            [*wismo(), "seed", "--demo", "--orders", str(args.orders)],
            env=env, cwd=tmp, check=True, capture_output=True,
        )  # fmt: skip
        with sqlite3.connect(database) as connection:
            ids = [row[0] for row in connection.execute("SELECT id FROM shop_order ORDER BY id")]
        config = CoreConfig(secret_key=SECRET)
        now = SystemClock().now()
        paths = [f"/t/{page_token(config, order_id, now)}" for order_id in ids]
        process = subprocess.Popen([*wismo(), "run"], env=env, cwd=tmp)
        try:
            latencies, sizes, rate, health = asyncio.run(
                measure(f"http://127.0.0.1:{port}", process, paths, args.concurrency)
            )
        finally:
            process.terminate()
            process.wait(timeout=30)
    log(
        f"{len(latencies)} pages one at a time: p50 {statistics.median(latencies):.2f} ms, "
        f"p99 {p99(latencies):.2f} ms; {rate:.0f} pages/s with {args.concurrency} readers"
    )
    emit(
        "tracking_page",
        [
            figure("tracking page p50", statistics.median(latencies), "ms"),
            figure("tracking page p99", p99(latencies), "ms", target=TARGET_P99_MS),
            figure(f"tracking pages/s, {args.concurrency} readers", rate, "1/s", better="higher"),
            figure("GET /healthz p50 (baseline, same connection)", statistics.median(health), "ms"),
            figure("tracking page size, largest", max(sizes), "B", target=TARGET_BYTES),
            figure("tracking page size, median", statistics.median(sizes), "B"),
        ],
        orders=args.orders,
        concurrency=args.concurrency,
        database="sqlite",
    )


if __name__ == "__main__":
    main()

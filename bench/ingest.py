"""Tracking events posted in bulk over HTTP to a running `wismo run` on SQLite.

    python -m bench.ingest            # 50,000 events in requests of 1,000
    python -m bench.ingest --quick    # 5,000 events, for a smoke run

Starts the real service as a subprocess (`wismo run` on a fresh SQLite file, a free
port), creates an API key with `wismo apikey create`, creates the orders and shipments
through the API, then posts events to /api/v1/events/bulk from a few concurrent clients
and times every request. Prints progress on stderr and the result (bench/report.py
format) as the last stdout line: events per second (target >= 2,000) and p99 request
latency.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bench.report import emit, figure

TARGET_EVENTS_PER_S = 2000.0
STATUSES = ("info_received", "in_transit", "in_transit", "out_for_delivery", "delivered")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wismo() -> list[str]:
    return [sys.executable, "-c", "from bot.cli import main; main()"]


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


async def wait_ready(client: httpx.AsyncClient, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"wismo run exited with {process.returncode}")
        try:
            if (await client.get("/readyz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError("wismo run did not become ready in 60 s")


async def seed(client: httpx.AsyncClient, shipments: int) -> list[str]:
    placed = datetime(2026, 10, 1, tzinfo=UTC).isoformat()
    numbers = []
    semaphore = asyncio.Semaphore(8)

    async def one(i: int) -> None:
        async with semaphore:
            order = {
                "external_id": f"bench-{i}",
                "number": str(100000 + i),
                "placed_at": placed,
                "customer": {"email": f"shopper{i}@example.com"},
                "items": [{"sku": "SKU-1", "name": "Thing"}],
            }
            (await client.post("/api/v1/orders", json=order)).raise_for_status()
            shipment = {
                "external_id": f"bench-s-{i}",
                "order_external_id": f"bench-{i}",
                "carrier": "dhl",
                "tracking_number": f"JD{i:012d}",
            }
            (await client.post("/api/v1/shipments", json=shipment)).raise_for_status()
            numbers.append(shipment["tracking_number"])

    await asyncio.gather(*(one(i) for i in range(shipments)))
    return numbers


def batches(numbers: list[str], total: int, size: int) -> list[dict[str, object]]:
    start = datetime(2026, 10, 2, tzinfo=UTC)
    events = []
    for i in range(total):
        number = numbers[i % len(numbers)]
        step = i // len(numbers)
        events.append(
            {
                "event_id": f"ev-{i}",
                "tracking_number": number,
                "status": STATUSES[min(step, len(STATUSES) - 1)],
                "occurred_at": (start + timedelta(minutes=step)).isoformat(),
                "location": "Leipzig, DE",
                "text": "Scan at facility",
            }
        )
    return [{"events": events[i : i + size]} for i in range(0, total, size)]


async def post_all(
    client: httpx.AsyncClient, bodies: list[dict[str, object]], concurrency: int
) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    applied = 0
    queue = list(reversed(bodies))

    async def worker() -> None:
        nonlocal applied
        while queue:
            body = queue.pop()
            began = time.perf_counter()
            response = await client.post("/api/v1/events/bulk", json=body)
            while response.status_code == 503:  # busy writer: retry as told, like a client would
                await asyncio.sleep(float(response.headers.get("retry-after", "1")))
                response = await client.post("/api/v1/events/bulk", json=body)
            latencies.append((time.perf_counter() - began) * 1000)
            response.raise_for_status()
            report = response.json()
            if report["failed"]:
                raise RuntimeError(f"{report['failed']} events failed: {report['results'][:3]}")
            applied += report["applied"]

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - began, latencies, applied


async def measure(
    base_url: str,
    key: str,
    process: subprocess.Popen[bytes],
    events: int,
    batch: int,
    concurrency: int,
    shipments: int,
) -> tuple[float, list[float], int]:
    """Seed through the API, then time the bulk posts."""
    async with httpx.AsyncClient(
        base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=120
    ) as client:
        await wait_ready(client, process)
        log(f"seeding {shipments} orders and shipments through the API")
        numbers = await seed(client, shipments)
        bodies = batches(numbers, events, batch)
        log(f"posting {events} events in {len(bodies)} requests, {concurrency} at a time")
        return await post_all(client, bodies, concurrency)


def run(events: int, batch: int, concurrency: int, shipments: int) -> None:
    """Start `wismo run` on a fresh SQLite file, measure, stop it, print the figures."""
    with tempfile.TemporaryDirectory(prefix="wismo-bench-ingest-") as tmp:
        port = free_port()
        env = {
            **os.environ,
            "WISMO_DATABASE_URL": f"sqlite+aiosqlite:///{Path(tmp) / 'wismo.db'}",
            "WISMO_HTTP_HOST": "127.0.0.1",
            "WISMO_HTTP_PORT": str(port),
            "WISMO_LOG_LEVEL": "WARNING",
        }
        for name in ("WISMO_TELEGRAM_TOKEN", "WISMO_SLACK_BOT_TOKEN", "WISMO_AFTERSHIP_API_KEY"):
            env.pop(name, None)  # the HTTP app only: no channel or poller competes for the CPU
        created = subprocess.run(
            [*wismo(), "apikey", "create", "bench"],
            env=env, cwd=tmp, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if created.returncode != 0:
            raise SystemExit(f"wismo apikey create failed: {created.stderr.strip()[-2000:]}")
        key = created.stdout.strip()
        process = subprocess.Popen([*wismo(), "run"], env=env, cwd=tmp)
        try:
            elapsed, latencies, applied = asyncio.run(
                measure(
                    f"http://127.0.0.1:{port}", key, process, events, batch, concurrency,
                    shipments,
                )
            )  # fmt: skip
        finally:
            process.terminate()
            process.wait(timeout=30)
    rate = events / elapsed
    log(
        f"{events} events ({applied} applied) in {elapsed:.2f}s: {rate:.0f} events/s; "
        f"request p50 {statistics.median(latencies):.0f} ms, p99 {p99(latencies):.0f} ms"
    )
    emit(
        "ingest",
        [
            figure(
                "tracking events ingested over HTTP (SQLite)",
                rate,
                "events/s",
                target=TARGET_EVENTS_PER_S,
                better="higher",
            ),
            figure(f"bulk request ({batch} events) p99", p99(latencies), "ms"),
        ],
        events=events,
        batch=batch,
        concurrency=concurrency,
        shipments=shipments,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 events instead of 50,000")
    parser.add_argument("--events", type=int, default=None)
    parser.add_argument("--batch", type=int, default=1000, help="events per request (<= 1000)")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--shipments", type=int, default=None)
    args = parser.parse_args()
    events = args.events or (5_000 if args.quick else 50_000)
    shipments = args.shipments or (200 if args.quick else 1_000)
    run(events, min(args.batch, 1000), args.concurrency, shipments)


if __name__ == "__main__":
    main()

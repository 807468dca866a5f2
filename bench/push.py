"""A carrier event in over the ingest API, the shopper's push out at the stand-in Bot API.

    python -m bench push            # 100,000 orders; 300 pushes timed; 50,000 events for the rate
    python -m bench push --quick    # 10,000 orders; 100 pushes; 5,000 events

`wismo run` (Telegram webhook mode, SQLite) and the stand-in Bot API run as processes of
their own; this process posts. 500 verified chats spread over the shop each follow one
parcel still on its way. Latency: one event at a time per followed parcel
(`--concurrency` in flight), POST /api/v1/events → sendMessage received by the stand-in
(the transactional outbox, then the dispatcher). Rate: bulk events (1,000 a request) for
parcels nobody follows, wall clock. Every event is new (its own event id and status).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from sqlalchemy import insert, select

from bench import processes
from bench.ingest import wismo
from bench.processes import free_port, log
from bench.report import emit, figure
from bench.telegram import build_shop, pct
from core.storage.db import Database
from core.storage.models import ChannelIdentity, Order, Shipment, Subscription

TARGET_P95_S = 1.0
TARGET_EVENTS_PER_S = 5_000.0
ON_THE_WAY = ("pending", "info_received", "in_transit")


async def parcels(url: str, chat_ids: list[int]) -> tuple[dict[int, str], list[str]]:
    """A followed parcel on its way per chat (chat -> tracking number), and unfollowed ones."""
    database = Database(url)
    now = datetime.now(UTC)
    ship, order = Shipment.__table__, Order.__table__  # type: ignore[attr-defined]
    ident = ChannelIdentity.__table__  # type: ignore[attr-defined]
    followed: dict[int, str] = {}
    async with database.engine.begin() as connection:
        identities = {
            int(external): (identity, customer)
            for identity, external, customer in await connection.execute(
                select(ident.c.id, ident.c.external_id, ident.c.customer_id)
            )
        }
        rows = await connection.execute(
            select(order.c.customer_id, order.c.id, ship.c.tracking_number)
            .join(ship, ship.c.order_id == order.c.id)
            .where(ship.c.status.in_(ON_THE_WAY))
            .order_by(order.c.id)
        )
        by_customer = {identities[c][1]: c for c in chat_ids if c in identities}
        subscriptions = []
        others: list[str] = []
        for customer, order_id, number in rows:
            chat = by_customer.get(customer)
            if chat is not None and chat not in followed:
                followed[chat] = number
                subscriptions.append(
                    {"identity_id": identities[chat][0], "order_id": order_id, "active": True,
                     "created_at": now, "updated_at": now}
                )  # fmt: skip
            elif chat is None:
                others.append(number)
        if subscriptions:
            await connection.execute(insert(Subscription.__table__), subscriptions)  # type: ignore[attr-defined]
    await database.dispose()
    return followed, others


async def measure(
    args: argparse.Namespace,
    base: str,
    key: str,
    api_port: int,
    followed: dict[int, str],
    others: list[str],
) -> dict[str, float | int | list[float]]:
    headers = {"Authorization": f"Bearer {key}"}
    seen = 0
    waiting: dict[int, tuple[float, asyncio.Future[float]]] = {}

    async def watch(session: aiohttp.ClientSession) -> None:
        nonlocal seen
        while True:
            async with session.get(f"http://127.0.0.1:{api_port}/bench/sent",
                                   params={"after": seen}) as response:  # fmt: skip
                sent = await response.json()
            seen += len(sent)
            for chat, at in sent:
                entry = waiting.get(chat)
                if entry is not None and not entry[1].done() and at >= entry[0]:
                    entry[1].set_result(at)

    latencies: list[float] = []
    lost = 0
    async with aiohttp.ClientSession(headers=headers) as session:
        watcher = asyncio.create_task(watch(session))
        queue = list(followed.items())[: args.pushes]
        loop = asyncio.get_running_loop()

        async def follower_event() -> None:
            nonlocal lost
            while queue:
                chat, number = queue.pop()
                body = {"event_id": f"push-{chat}", "tracking_number": number,
                        "status": "out_for_delivery", "location": "Leipzig, DE",
                        "occurred_at": datetime.now(UTC).isoformat(),
                        "text": "Out for delivery"}  # fmt: skip
                answer: asyncio.Future[float] = loop.create_future()
                posted = time.monotonic()
                waiting[chat] = (posted, answer)
                async with session.post(f"{base}/api/v1/events", json=body) as response:
                    if response.status >= 300:
                        raise SystemExit(
                            f"POST /api/v1/events: {response.status} {await response.text()}"
                        )
                try:
                    latencies.append(await asyncio.wait_for(answer, 30) - posted)
                except TimeoutError:
                    lost += 1

        await asyncio.gather(*(follower_event() for _ in range(args.concurrency)))
        watcher.cancel()

        start = datetime.now(UTC) + timedelta(minutes=1)
        bodies = []
        for first in range(0, args.events, 1000):
            events = []
            for i in range(first, min(first + 1000, args.events)):
                step = i // len(others)
                events.append({"event_id": f"rate-{i}", "tracking_number": others[i % len(others)],
                               "status": "in_transit", "location": "Kassel, DE",
                               "occurred_at": (start + timedelta(minutes=step)).isoformat(),
                               "text": f"Scan {step}"})  # fmt: skip
            bodies.append({"events": events})

        async def poster() -> None:
            while bodies:
                body = bodies.pop()
                while True:
                    async with session.post(f"{base}/api/v1/events/bulk", json=body) as response:
                        if response.status == 503:  # busy writer: retry as told
                            await asyncio.sleep(float(response.headers.get("retry-after", "1")))
                            continue
                        if response.status >= 300:
                            raise SystemExit(f"bulk: {response.status} {await response.text()}")
                        break

        began = time.monotonic()
        await asyncio.gather(*(poster() for _ in range(2)))
        rate = args.events / (time.monotonic() - began)
    return {"latencies": latencies, "lost": lost, "rate": rate}


def api_key(env: dict[str, str], cwd: str) -> str:
    """A new ingest API key, made as an operator makes one (`wismo apikey create`)."""
    command = [*wismo(), "apikey", "create", "bench"]
    created = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=True)
    return created.stdout.strip()


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="wismo-bench-push-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'wismo.db'}"
        chats = await build_shop(url, args.orders, args.chats)
        followed, others = await parcels(url, [c.chat_id for c in chats])
        log(f"{len(followed)} chats follow a parcel on its way; {len(others):,} parcels unfollowed")
        api, api_port = processes.start_botapi()
        try:
            port = free_port()
            env = processes.wismo_env(url, port, api_port, WISMO_QUIET_HOURS_MODE="silent")
            key = await asyncio.to_thread(api_key, env, tmp)
            with processes.start_wismo(env) as process:
                await processes.wait_http(
                    f"http://127.0.0.1:{port}/telegram/webhook", process, {400}
                )
                result = await measure(
                    args, f"http://127.0.0.1:{port}", key, api_port, followed, others
                )
        finally:
            api.__exit__(None, None, None)
    latencies, lost, rate = result["latencies"], result["lost"], result["rate"]
    assert isinstance(latencies, list) and isinstance(lost, int) and isinstance(rate, float)
    p50, p95 = statistics.median(latencies), pct(latencies, 0.95)
    log(f"ingest → push p50 {p50:.3f} s, p95 {p95:.3f} s; {rate:.0f} events/s in bulk")
    emit(
        "push",
        [
            figure("ingest → push received p50", p50, "s"),
            figure("ingest → push received p95", p95, "s", target=TARGET_P95_S),
            figure("pushes not received within 30 s", lost, "", target=0),
            figure(
                "events ingested over HTTP (bulk, SQLite)",
                rate,
                "events/s",
                target=TARGET_EVENTS_PER_S,
                better="higher",
            ),
        ],
        orders=args.orders,
        chats=args.chats,
        pushes=len(latencies),
        events=args.events,
        concurrency=args.concurrency,
        database="sqlite",
    )


def cli() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench push", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--chats", type=int, default=500)
    parser.add_argument("--pushes", type=int, default=300)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--concurrency", type=int, default=4, help="follower events in flight")
    args = parser.parse_args()
    if args.quick:
        args.orders, args.pushes, args.events = min(args.orders, 10_000), 100, 5_000
    asyncio.run(main(args))


if __name__ == "__main__":
    cli()

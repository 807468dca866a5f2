"""The notification dispatcher at a global rate limit of 1,000 pushes per second.

    python -m bench.dispatch                 # 50,000 pending pushes, fresh SQLite file
    python -m bench.dispatch --quick         # 5,000 pushes, for a smoke run
    python -m bench.dispatch --database-url postgresql+asyncpg://...   # an EMPTY database

Bulk-inserts the pending pushes (two per chat, so per-chat ordering is exercised), then
lets one `core.pushes.dispatch.Dispatcher` drain them to an in-process stand-in sender that
records when each push arrived. Prints the achieved rate against the limit (target >= 95%
of it), the most pushes seen in any one-second window (must never exceed the limit), and
the claim overhead per push: the time spent claiming and recording, per push sent.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from bench.report import emit, figure
from core.pushes.dispatch import Dispatcher
from core.replies.reply import Reply
from core.replies.sender import SendOutcome, Sent
from core.runtime.clock import SystemClock
from core.storage import schema
from core.storage.db import Database
from core.storage.models import Notification

N = Notification.__table__  # type: ignore[attr-defined]


class StandInSender:
    """Accepts every push at once and notes when it came (monotonic seconds)."""

    def __init__(self) -> None:
        self.times: list[float] = []

    async def send(self, recipient: str, reply: Reply) -> SendOutcome:
        self.times.append(time.monotonic())
        return Sent(ref=str(len(self.times)))


class TimedDispatcher(Dispatcher):
    """Measures the database side of dispatching: claiming and recording outcomes."""

    overhead = 0.0

    async def _claim(self, session: Any, channels: list[str]) -> Any:
        started = time.perf_counter()
        try:
            return await super()._claim(session, channels)
        finally:
            self.overhead += time.perf_counter() - started

    async def _record(self, verdicts: Any, stats: Any) -> None:
        started = time.perf_counter()
        try:
            await super()._record(verdicts, stats)
        finally:
            self.overhead += time.perf_counter() - started


def busiest_window(times: list[float], window: float = 1.0) -> int:
    """The most sends inside any half-open window of `window` seconds."""
    best = start = 0
    for end, at in enumerate(times):
        while times[start] <= at - window:
            start += 1
        best = max(best, end - start + 1)
    return best


def steady_rate(times: list[float]) -> float:
    """Mean sends per full second of the run, counted from the first send.

    (Pushes / elapsed time would flatter the limiter: the first window may be filled at
    once, so a short run would average above the limit without any window exceeding it.)
    """
    full = int(times[-1] - times[0])
    if full < 1:
        return float(len(times))
    inside = sum(1 for t in times if t < times[0] + full)
    return inside / full


async def load(database: Database, pushes: int) -> None:
    now = datetime.now(UTC) - timedelta(minutes=1)
    rows = [
        {"identity_id": None, "channel": "bench", "recipient": f"chat{i // 2}", "kind": "bench",
         "dedupe_key": f"bench:{i}", "reply": Reply.text(f"push {i}").to_dict(), "urgent": True,
         "state": "pending", "not_before": now, "attempts": 0, "created_at": now}
        for i in range(pushes)
    ]  # fmt: skip
    async with database.transaction() as session:
        for start in range(0, len(rows), 2000):
            await session.execute(insert(N), rows[start : start + 2000])


async def outstanding(database: Database) -> int:
    async with database.session() as session:
        query = select(func.count()).where(N.c.state.in_(["pending", "claimed"]))
        return int((await session.execute(query)).scalar_one())


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(scratch) / 'dispatch.db'}"
        database = Database(url)
        await schema.upgrade(database.engine)
        print(f"loading {args.pushes:,} pending pushes ...", file=sys.stderr)
        await load(database, args.pushes)
        sender = StandInSender()
        dispatcher = TimedDispatcher(
            database, SystemClock(), {"bench": sender}, batch_size=args.batch_size,
            rate_limits={"bench": args.rate}, concurrency=args.concurrency,
        )  # fmt: skip
        print(f"dispatching at {args.rate:g}/s ...", file=sys.stderr)
        started = time.monotonic()
        while True:
            await dispatcher.drain()
            if await outstanding(database) == 0:
                break
        elapsed = time.monotonic() - started
        backend = database.engine.dialect.name
        await database.dispose()
    sent = len(sender.times)
    achieved = steady_rate(sender.times)
    emit(
        "dispatch",
        [
            figure(
                "achieved rate vs limit",
                100 * achieved / args.rate,
                "%",
                target=95,
                better="higher",
            ),
            figure(
                "busiest 1 s window",
                busiest_window(sender.times),
                "pushes",
                target=args.rate,
                better="lower",
            ),
            figure("claim overhead per push", 1000 * dispatcher.overhead / sent, "ms"),
            figure("achieved rate", achieved, "pushes/s", better="higher"),
        ],
        pushes=sent,
        rate_limit=args.rate,
        seconds=round(elapsed, 2),
        batch_size=args.batch_size,
        database=backend,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="5,000 pushes instead of 50,000")
    parser.add_argument("--pushes", type=int, default=None)
    parser.add_argument("--rate", type=float, default=1000.0, help="global limit, pushes/s")
    parser.add_argument("--batch-size", type=int, default=250)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--database-url", default=None, help="an empty, migratable database")
    args = parser.parse_args()
    args.pushes = args.pushes or (5_000 if args.quick else 50_000)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()

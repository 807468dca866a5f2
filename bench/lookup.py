"""How fast a verified shopper hears "where is my order N", at N orders in SQLite.

    python -m bench.lookup                      # 100,000 orders
    python -m bench.lookup --orders 1000000     # the target size

Generates the sample shop into a temporary SQLite file (in a child process, so the
answering process's peak RSS is its own), verifies a set of shoppers, then times the
whole path — conversation → tracking → reply rendered as console text — one question
at a time, and the same look-up as one raw indexed SQL query for comparison.
Prints progress on stderr and the result (bench/report.py format) as the last stdout line.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from adapters.console import render_text
from bench.report import emit, figure
from bot.memory import settle_memory
from core.conversation.service import Conversation
from core.insights import rollups
from core.replies.reply import Inbound
from core.runtime.clock import SystemClock
from core.runtime.config import CoreConfig
from core.sample import demo_shop as sample
from core.storage import schema
from core.storage.db import Database

TARGET_P99_MS = 5.0
TARGET_RATE = 1000.0
TARGET_RSS_MB = 200.0
ZONE = ZoneInfo("UTC")
RAW_SQL = """
SELECT o.number, o.status, s.carrier, s.tracking_number, s.status, s.eta, s.last_location,
       e.status, e.text, e.location, e.occurred_at
FROM shop_order o
LEFT JOIN shipment s ON s.order_id = o.id
LEFT JOIN trackingevent e ON e.shipment_id = s.id
WHERE o.number = ? AND o.customer_id = ?
ORDER BY e.occurred_at DESC
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size in MB (Linux reports KB)."""
    return resource.getrusage(who).ru_maxrss / 1024


async def generate(path: Path, orders: int, seed: int) -> None:
    """Write `orders` sample orders (bulk mix) into a fresh SQLite file at `path`.

    One transaction per batch, so the WAL is checkpointed as it goes instead of growing
    to the size of the whole database.
    """
    database = Database(f"sqlite+aiosqlite:///{path}")
    await schema.upgrade(database.engine)
    step = max(orders // 10, 1)
    async with database.engine.begin() as connection:
        # Build the secondary indexes once at the end (a sort) instead of row by row (a
        # random B-tree insert each); they are re-created from their own saved SQL.
        indexes = (
            await connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            )
        ).all()
        for name, _ in indexes:
            await connection.exec_driver_sql(f'DROP INDEX "{name}"')
        await connection.exec_driver_sql("PRAGMA synchronous=OFF")  # a scratch file

    async with database.engine.connect() as connection:
        ids = await sample.first_ids(connection)
    generator = sample.SampleGenerator(
        seed=seed, now=datetime.now(UTC), ids=ids, bulk=True, keep_summaries=False
    )
    written = 0
    for batch in generator.batches(orders, 5_000):
        # One transaction per batch keeps the WAL checkpointed as it grows.
        async with database.engine.begin() as connection:
            await sample.write_batch(connection, batch)
        before, written = written, written + len(batch.rows["shop_order"])
        if written // step > before // step:
            log(f"  {written:,} orders written")
    log("  building indexes")
    async with database.engine.begin() as connection:
        await connection.exec_driver_sql("PRAGMA cache_size=-32768")
        for _, sql in indexes:
            await connection.exec_driver_sql(sql)
    async with database.engine.connect() as connection:
        await connection.exec_driver_sql("ANALYZE")
    # A shop in service has its insights rollups (the scheduler keeps them); build them.
    log("  building the insights rollups")
    started = time.perf_counter()
    await rollups.refresh(database, SystemClock(), holder="bench")
    log(f"  insights rollups built in {time.perf_counter() - started:.1f} s")
    await database.dispose()


def pick_questions(path: Path, count: int, seed: int) -> list[tuple[int, str]]:
    """(customer id, order number) pairs spread over the whole table, each order once."""
    connection = sqlite3.connect(path)
    highest = connection.execute("SELECT max(id) FROM shop_order").fetchone()[0]
    rng = random.Random(seed)
    ids = rng.sample(range(1, highest + 1), min(count, highest))
    pairs = []
    for order_id in ids:
        row = connection.execute(
            "SELECT customer_id, number FROM shop_order WHERE id = ?", (order_id,)
        ).fetchone()
        pairs.append((int(row[0]), str(row[1])))
    connection.close()
    return pairs


async def verify_shoppers(database: Database, customers: set[int]) -> None:
    """One verified console identity per customer (sender id = customer id)."""
    now = datetime.now(UTC)
    async with database.engine.begin() as connection:
        await connection.exec_driver_sql(
            "INSERT OR IGNORE INTO channelidentity (channel, external_id, customer_id, "
            "display_name, locale, verified_at, pushes_enabled, created_at, last_seen_at) "
            "VALUES ('bench', ?, ?, '', 'en', ?, 1, ?, ?)",
            [
                (str(c), c, now.replace(tzinfo=None).isoformat(" "),
                 now.replace(tzinfo=None).isoformat(" "), now.replace(tzinfo=None).isoformat(" "))
                for c in sorted(customers)
            ],
        )  # fmt: skip


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def ask(conversation: Conversation, customer: int, number: str) -> float:
    """One question through conversation → tracking → rendered text; returns seconds."""
    inbound = Inbound(channel="bench", sender_id=str(customer), text=f"where is my order {number}")
    started = time.perf_counter()
    replies = await conversation.handle(inbound)
    text = "\n\n".join(render_text(reply, ZONE) for reply in replies)
    elapsed = time.perf_counter() - started
    if replies[0].order_number != number or f"Order {number}" not in text:
        raise SystemExit(f"the answer to 'where is my order {number}' did not show it")
    return elapsed


async def measure(
    path: Path,
    questions: list[tuple[int, str]],
    warmup: int,
    concurrency: int,
    *,
    plain: bool = False,
) -> dict[str, float]:
    """Latency one question at a time, then throughput with `concurrency` shoppers at once.

    The first half of `questions` (after `warmup`) is asked one at a time, the second half
    by the shoppers at once: no question is answered twice, and both rates are answers
    over wall-clock time.

    `plain`: through SQLAlchemy's own aiosqlite dialect (a URL with a query option takes
    neither core.storage.sqlite_driver nor core.storage.hot_sql), to show what they gain.
    """
    database = Database(f"sqlite+aiosqlite:///{path}" + ("?timeout=10" if plain else ""))
    await verify_shoppers(database, {customer for customer, _ in questions})
    conversation = Conversation(database, SystemClock(), CoreConfig(secret_key="bench"))
    conversation.languages.warm()  # as `wismo run` does at start, untimed
    settle_memory()  # as `wismo run` does once started
    half = warmup + (len(questions) - warmup) // 2
    for customer, number in questions[:warmup]:
        await ask(conversation, customer, number)
    started = time.perf_counter()
    latencies = [await ask(conversation, c, n) for c, n in questions[warmup:half]]
    one_at_a_time_rate = len(latencies) / (time.perf_counter() - started)
    together = questions[half:]

    async def shopper(share: list[tuple[int, str]]) -> None:
        for customer, number in share:
            await ask(conversation, customer, number)

    started = time.perf_counter()
    await asyncio.gather(*(shopper(together[i::concurrency]) for i in range(concurrency)))
    concurrent_rate = len(together) / (time.perf_counter() - started)
    await database.dispose()
    return {
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "answers_per_second": one_at_a_time_rate,
        "concurrent_answers_per_second": concurrent_rate,
    }


def measure_raw(path: Path, questions: list[tuple[int, str]]) -> dict[str, float]:
    connection = sqlite3.connect(path)
    latencies = []
    began = time.perf_counter()
    for customer, number in questions:
        started = time.perf_counter()
        rows = connection.execute(RAW_SQL, (number, customer)).fetchall()
        latencies.append(time.perf_counter() - started)
        assert rows, number
    rate = len(latencies) / (time.perf_counter() - began)
    connection.close()
    return {
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "answers_per_second": rate,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=2_000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--seed", type=int, default=sample.DEMO_SEED)
    parser.add_argument("--concurrency", type=int, default=8, help="shoppers asking at once")
    parser.add_argument("--database", type=Path, help="reuse (or keep) this SQLite file")
    parser.add_argument(
        "--generate-only",
        action="store_true",
        help="only write the sample shop to --database (other benchmarks use this)",
    )
    parser.add_argument(
        "--plain-sqlite",
        action="store_true",
        help="also ask the same number of other questions through plain aiosqlite, "
        "without wismo's SQLite driver and hot statements, and print the speed-up",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="wismo-bench-") as tmp:
        path = args.database or Path(tmp) / "lookup.db"
        if args.generate_only:
            asyncio.run(generate(path, args.orders, args.seed))
            return
        generate_seconds = 0.0
        if not path.exists():
            log(f"generating {args.orders:,} orders into {path} …")
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "bench.lookup", "--generate-only",
                 "--orders", str(args.orders), "--seed", str(args.seed), "--database", str(path)],
                check=True,
            )  # fmt: skip
            generate_seconds = time.perf_counter() - started
            log(f"generated in {generate_seconds:.1f} s")
        # Twice the look-ups: one half one at a time, the other by shoppers at once.
        questions = pick_questions(path, 2 * args.lookups + args.warmup, args.seed)
        log(f"asking {len(questions):,} questions …")
        full = asyncio.run(measure(path, questions, args.warmup, args.concurrency))
        raw = measure_raw(path, questions[args.warmup :])
        rss = peak_rss_mb()
        baseline: list[dict[str, Any]] = []
        if args.plain_sqlite:
            # Other questions (another seed), so neither run answers warmed repeats.
            others = pick_questions(path, 2 * args.lookups + args.warmup, args.seed + 1)
            log(f"asking {len(others):,} other questions through plain aiosqlite …")
            plain = asyncio.run(measure(path, others, args.warmup, args.concurrency, plain=True))
            baseline = [
                figure("plain aiosqlite lookup p50", plain["p50_ms"], "ms"),
                figure("plain aiosqlite lookup p99", plain["p99_ms"], "ms"),
                figure(
                    "wismo driver speed-up (plain p50 / wismo p50)",
                    plain["p50_ms"] / full["p50_ms"],
                    "x",
                    better="higher",
                ),
            ]
        emit(
            "lookup",
            [
                figure("lookup p50", full["p50_ms"], "ms"),
                figure("lookup p99", full["p99_ms"], "ms", target=TARGET_P99_MS),
                figure(
                    "lookup answers/s",
                    full["answers_per_second"],
                    "1/s",
                    target=TARGET_RATE,
                    better="higher",
                ),
                figure(
                    f"lookup answers/s, {args.concurrency} shoppers at once",
                    full["concurrent_answers_per_second"],
                    "1/s",
                    target=TARGET_RATE,
                    better="higher",
                ),
                figure("lookup peak RSS", rss, "MB", target=TARGET_RSS_MB),
                figure("raw SQL lookup p50", raw["p50_ms"], "ms"),
                figure("raw SQL lookup p99", raw["p99_ms"], "ms"),
                figure("raw SQL answers/s", raw["answers_per_second"], "1/s", better="higher"),
                figure("generate seconds", generate_seconds, "s"),
                figure("generator peak RSS", peak_rss_mb(resource.RUSAGE_CHILDREN), "MB"),
                *baseline,
            ],
            orders=args.orders,
            lookups=args.lookups,
            concurrency=args.concurrency,
            database="sqlite",
        )


if __name__ == "__main__":
    main()

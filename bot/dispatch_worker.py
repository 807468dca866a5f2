"""Internal: a stand-alone dispatcher process that posts every push to an HTTP endpoint.

    python -m bot.dispatch_worker --database-url URL --post-to http://127.0.0.1:PORT/ \
        [--channel test] [--batch-size 100] [--lease-seconds 30] [--rate 0] [--until-empty]

Not a user-facing command: the reliability tests (tests/integration/jobs) start several of
these against one PostgreSQL and kill them mid-flight, and operators can use it to check a
database's outbox drains. It claims pushes of `--channel` exactly as `wismo run` does and
sends each as a JSON POST `{"recipient", "text", "reply"}`; the endpoint's answer maps to
the sender port's outcomes (2xx sent, 429 rate limited with Retry-After, 403 blocked,
5xx transient, other 4xx permanent). On exit it prints its statistics as one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from dataclasses import asdict
from datetime import timedelta

import aiohttp
from sqlalchemy import func, select

from core.pushes import Dispatcher, DispatchStats, RetryPolicy
from core.replies import Blocked, Permanent, RateLimited, Reply, SendOutcome, Sent, Transient
from core.runtime import SystemClock
from core.storage import Database, Notification

log = logging.getLogger("wismo.dispatch_worker")
N = Notification.__table__  # type: ignore[attr-defined]


class HttpPostSender:
    """The Sender port over a plain HTTP endpoint (one pooled aiohttp session per process)."""

    def __init__(self, url: str, client: aiohttp.ClientSession) -> None:
        self.url = url
        self.client = client

    async def send(self, recipient: str, reply: Reply) -> SendOutcome:
        """POST the push; map the status code onto the port's typed outcomes."""
        text = "\n".join(s.text or "" for s in reply.sections)
        body = {"recipient": recipient, "text": text, "reply": reply.to_dict()}
        try:
            async with self.client.post(self.url, json=body) as response:
                code, answer = response.status, await response.text()
                retry_after = response.headers.get("Retry-After", "1")
        except (aiohttp.ClientError, TimeoutError) as exc:
            return Transient(f"{type(exc).__name__}: {exc}")
        if 200 <= code < 300:
            return Sent(ref=answer[:128])
        if code == 429:
            return RateLimited(retry_after=float(retry_after))
        if code == 403:
            return Blocked(reason=answer[:200] or "forbidden")
        if code >= 500:
            return Transient(f"HTTP {code}")
        return Permanent(f"HTTP {code}: {answer[:200]}")


async def outstanding(database: Database, channel: str) -> int:
    """Pushes of `channel` not yet finished (pending or claimed by anyone)."""
    async with database.session() as session:
        result = await session.execute(
            select(func.count()).where(
                N.c.channel == channel, N.c.state.in_(["pending", "claimed"])
            )
        )
        return int(result.scalar_one())


async def main(args: argparse.Namespace) -> DispatchStats:
    """Run one dispatcher until stopped (or, with --until-empty, until the outbox is empty)."""
    database = Database(args.database_url)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    total = DispatchStats()
    connector = aiohttp.TCPConnector(limit=args.concurrency)
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as client:
        dispatcher = Dispatcher(
            database,
            SystemClock(),
            {args.channel: HttpPostSender(args.post_to, client)},
            batch_size=args.batch_size,
            lease=timedelta(seconds=args.lease_seconds),
            retry=RetryPolicy(
                max_attempts=args.max_attempts, base=timedelta(seconds=args.retry_base_seconds)
            ),
            rate_limits={args.channel: args.rate} if args.rate > 0 else None,
            concurrency=args.concurrency,
        )
        try:
            while not stop.is_set():
                total += await dispatcher.drain()
                if args.until_empty and await outstanding(database, args.channel) == 0:
                    break
                try:
                    await asyncio.wait_for(stop.wait(), timeout=args.idle_seconds)
                except TimeoutError:
                    pass
        finally:
            await database.dispose()
    return total


def parse(argv: list[str]) -> argparse.Namespace:
    """The worker's command line."""
    parser = argparse.ArgumentParser(prog="python -m bot.dispatch_worker", description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--post-to", required=True, help="HTTP endpoint that receives each push")
    parser.add_argument("--channel", default="test")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--lease-seconds", type=float, default=30)
    parser.add_argument("--max-attempts", type=int, default=8)
    parser.add_argument("--retry-base-seconds", type=float, default=15)
    parser.add_argument("--rate", type=float, default=0, help="sends per second (0: no limit)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--idle-seconds", type=float, default=0.2)
    parser.add_argument("--until-empty", action="store_true", help="exit once nothing is left")
    return parser.parse_args(argv)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    stats = asyncio.run(main(parse(sys.argv[1:])))
    print(json.dumps(asdict(stats)), flush=True)

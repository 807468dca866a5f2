"""A dispatcher killed (SIGKILL) mid-batch: how many pushes it repeats, how soon its claims move.

    python -m bench.dispatch_kill                    # PostgreSQL at WISMO_TEST_POSTGRES_URL
    python -m bench.dispatch_kill --lease-seconds 300  # the lease the dispatcher used to have

Loads 1,500 pending pushes into a scratch PostgreSQL database, starts two real dispatcher
processes (`python -m bot.dispatch_worker`, as `wismo run` dispatches) posting to a stand-in
platform in this process, SIGKILLs one after 300 pushes arrived, and lets the other finish.
Prints the duplicates (target: no more than the dispatcher's concurrency, the sends in
flight), the claims the dead one held, how long after the kill the first and the last of
them arrived (target: well under the old 5-minute lease), and pushes lost (must be 0).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web
from sqlalchemy import insert, select

from bench._postgres import scratch_database
from bench.report import emit, figure
from core.replies.reply import Reply
from core.storage.db import Database
from core.storage.models import Notification

ROOT = Path(__file__).resolve().parents[1]
N = Notification.__table__  # type: ignore[attr-defined]


class Platform:
    """Answers every push 200 and notes which text arrived when."""

    def __init__(self) -> None:
        self.arrived: list[tuple[str, float]] = []
        self.enough = asyncio.Event()
        self.kill_after = 0

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.arrived.append((body["text"], time.monotonic()))
        if len(self.arrived) >= self.kill_after:
            self.enough.set()
        return web.Response(text=f"ok-{len(self.arrived)}")


async def load(database: Database, pushes: int) -> None:
    now = datetime.now(UTC) - timedelta(minutes=1)
    rows = [
        {"identity_id": None, "channel": "test", "recipient": f"chat{i}", "kind": "bench",
         "dedupe_key": f"push-{i:05d}", "reply": Reply.text(f"push-{i:05d}").to_dict(),
         "urgent": True, "state": "pending", "not_before": now, "attempts": 0, "created_at": now}
        for i in range(pushes)
    ]  # fmt: skip
    async with database.transaction() as session:
        await session.execute(insert(N), rows)


async def worker(url: str, post_to: str, args: argparse.Namespace) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.dispatch_worker", "--database-url", url, "--post-to", post_to,
        "--until-empty", "--batch-size", str(args.batch_size), "--rate", str(args.rate),
        "--concurrency", str(args.concurrency), "--lease-seconds", str(args.lease_seconds),
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def run(args: argparse.Namespace) -> None:
    platform = Platform()
    platform.kill_after = args.kill_after
    app = web.Application()
    app.router.add_post("/", platform.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    post_to = f"http://127.0.0.1:{port}/"
    async with scratch_database() as url:
        database = Database(url)
        await load(database, args.pushes)
        print(f"{args.pushes} pushes; two dispatchers, one killed ...", file=sys.stderr)
        victim, survivor = await worker(url, post_to, args), await worker(url, post_to, args)
        await platform.enough.wait()
        victim.send_signal(signal.SIGKILL)
        await victim.wait()
        killed_at = time.monotonic()
        async with database.session() as session:
            rows = await session.execute(
                select(N.c.dedupe_key).where(
                    N.c.state == "claimed", N.c.claimed_by.like(f"%:{victim.pid}:%")
                )
            )
            held = {key for (key,) in rows}
        stdout, _ = await survivor.communicate()
        stats = json.loads(stdout.decode().strip().splitlines()[-1])
        await database.dispose()
    await runner.cleanup()
    counts = Counter(text for text, _ in platform.arrived)
    duplicates = sum(n - 1 for n in counts.values())
    lost = args.pushes - len(counts)
    after = [at - killed_at for text, at in platform.arrived if text in held and at > killed_at]
    emit(
        "dispatch_kill",
        [
            figure("pushes repeated", duplicates, "pushes", target=args.concurrency),
            figure("claims held by the dead dispatcher", len(held), "pushes"),
            figure("first of its claims sent after", min(after, default=0), "s", target=60),
            figure("last of its claims sent after", max(after, default=0), "s", target=60),
            figure("pushes lost", lost, "pushes", target=0),
        ],
        pushes=args.pushes,
        batch_size=args.batch_size,
        rate_per_dispatcher=args.rate,
        concurrency=args.concurrency,
        lease_seconds=args.lease_seconds,
        survivor_reaped=stats["reaped"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pushes", type=int, default=1500)
    parser.add_argument("--kill-after", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--rate", type=float, default=100, help="per dispatcher, sends/s")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--lease-seconds", type=float, default=30)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()

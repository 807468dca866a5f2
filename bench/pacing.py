"""Telegram's send limit across replicas: N `wismo run` processes on one PostgreSQL.

    python -m bench.pacing                      # 3 replicas, limit 30/s, 900 pushes
    python -m bench.pacing --replicas 1 --rate 30

Starts the Bot API stand-in in a process of its own (it notes when each sendMessage
arrived) and N real `wismo run` processes in webhook mode on a scratch PostgreSQL
database, loads a backlog of pushes once every replica is ready, waits until the outbox
is drained, and prints the achieved
rate as a share of WISMO_TELEGRAM_RATE_GLOBAL (target >= 90 %) and the most messages in
any one-second window (must not exceed the limit). Each replica alone paces at the full
limit; the shared pace (core/pushes/pace.py) is what keeps N of them within it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import func, insert, select

from bench._postgres import scratch_database
from bench.dispatch import busiest_window
from bench.report import emit, figure
from core.replies.reply import Reply
from core.storage.db import Database
from core.storage.models import Notification

ROOT = Path(__file__).resolve().parents[1]
WISMO = Path(sys.executable).parent / "wismo"
N = Notification.__table__  # type: ignore[attr-defined]


async def load(url: str, pushes: int) -> None:
    database = Database(url)
    now = datetime.now(UTC) - timedelta(minutes=1)
    rows = [
        {"identity_id": None, "channel": "telegram", "recipient": str(9000 + i), "kind": "bench",
         "dedupe_key": f"pace-{i}", "reply": Reply.text(f"Update {i}").to_dict(), "urgent": True,
         "state": "pending", "not_before": now, "attempts": 0, "created_at": now}
        for i in range(pushes)
    ]  # fmt: skip
    async with database.transaction() as session:
        for start in range(0, len(rows), 2000):
            await session.execute(insert(N), rows[start : start + 2000])
    await database.dispose()


async def sent(url: str) -> int:
    database = Database(url)
    async with database.session() as session:
        query = select(func.count()).where(N.c.state == "sent")
        count = int((await session.execute(query)).scalar_one())
    await database.dispose()
    return count


async def ready(ports: list[int], within: float = 60) -> None:
    """Until every replica answers /readyz."""
    deadline = time.monotonic() + within
    async with httpx.AsyncClient(timeout=2) as client:
        for port in ports:
            while True:
                try:
                    if (await client.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"wismo run on port {port} did not become ready")
                await asyncio.sleep(0.1)  # polling another process, no event to wait for


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def run(args: argparse.Namespace) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WISMO_")}
    async with scratch_database() as url:
        stand_in = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.integration.telegram.botapi_process", cwd=ROOT,
            env={**env, "PYTHONPATH": str(ROOT)}, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert stand_in.stdout is not None
        api_url = (await stand_in.stdout.readline()).decode().strip()
        settings = {
            "WISMO_DATABASE_URL": url, "WISMO_SECRET_KEY": "bench-pacing-secret-0123456789abcd",
            "WISMO_TELEGRAM_TOKEN": "123456:TEST-token", "WISMO_TELEGRAM_API_URL": api_url,
            "WISMO_TELEGRAM_MODE": "webhook", "WISMO_TELEGRAM_WEBHOOK_SECRET": "bench-secret",
            "WISMO_TELEGRAM_WEBHOOK_URL": "https://wismo.example/telegram/webhook",
            "WISMO_TELEGRAM_RATE_GLOBAL": str(args.rate), "WISMO_LOG_LEVEL": "WARNING",
        }  # fmt: skip
        replicas = []
        with tempfile.TemporaryDirectory() as scratch:
            try:
                print(
                    f"{args.replicas} replicas draining {args.pushes} pushes ...", file=sys.stderr
                )
                ports = [free_port() for _ in range(args.replicas)]
                for port in ports:
                    replicas.append(await asyncio.create_subprocess_exec(
                        str(WISMO), "run", cwd=scratch,
                        env={**env, **settings, "WISMO_HTTP_PORT": str(port)},
                        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
                        stderr=asyncio.subprocess.DEVNULL,
                    ))  # fmt: skip
                await ready(ports)
                await load(url, args.pushes)  # every replica is up: the backlog lands at once
                deadline = time.monotonic() + args.pushes / args.rate * 3 + 60
                # Polling another process's work; no event to wait for.
                while await sent(url) < args.pushes and time.monotonic() < deadline:  # noqa: ASYNC110
                    await asyncio.sleep(0.25)
            finally:
                for replica in replicas:
                    replica.send_signal(signal.SIGTERM)
                for replica in replicas:
                    await asyncio.wait_for(replica.wait(), 30)
                stand_in.send_signal(signal.SIGTERM)
                arrivals, _ = await asyncio.wait_for(stand_in.communicate(), 30)
    times = sorted(at for _, at in json.loads(arrivals.decode().strip().splitlines()[-1]))
    span = times[-1] - times[0] if len(times) > 1 else 1.0
    achieved = (len(times) - 1) / span
    emit(
        "pacing",
        [
            figure(
                "achieved rate vs limit",
                100 * achieved / args.rate,
                "%",
                target=90,
                better="higher",
            ),
            figure("busiest 1 s window", busiest_window(times), "messages", target=args.rate),
            figure("messages sent", len(times), "messages", target=args.pushes, better="higher"),
        ],
        replicas=args.replicas,
        limit_per_second=args.rate,
        pushes=args.pushes,
        database="postgresql",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--rate", type=float, default=30)
    parser.add_argument("--pushes", type=int, default=900)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()

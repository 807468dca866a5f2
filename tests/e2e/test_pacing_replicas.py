"""Three `wismo run` replicas on one PostgreSQL keep Telegram's send limit for the bot as a whole.

The Bot API stand-in runs in its own process and notes when each sendMessage arrived. With
a backlog of pushes in the outbox, the three replicas together never put more than
WISMO_TELEGRAM_RATE_GLOBAL messages into any one-second window, and keep at least 90 % of
it — without the shared pace each replica would send at the full rate, three times it.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from core.replies.reply import Reply
from core.storage.db import Database
from core.storage.models import Notification
from tests.e2e.conftest import WISMO, free_port, wait_ready

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
N = Notification.__table__  # type: ignore[attr-defined]
ROOT = Path(__file__).resolve().parents[2]
RATE = 30  # messages per second for the whole bot (Telegram's own default)
PUSHES = 600  # 20 s of backlog at the limit


def busiest_window(times: list[float], window: float = 1.0) -> int:
    """The most arrivals inside any half-open window of `window` seconds."""
    best = start = 0
    for end, at in enumerate(times):
        while times[start] <= at - window:
            start += 1
        best = max(best, end - start + 1)
    return best


async def load_backlog(url: str) -> None:
    database = Database(url)
    now = datetime.now(UTC) - timedelta(minutes=1)
    rows = [
        {"identity_id": None, "channel": "telegram", "recipient": str(5000 + i), "kind": "test",
         "dedupe_key": f"pace-{i}", "reply": Reply.text(f"Update {i}").to_dict(), "urgent": True,
         "state": "pending", "not_before": now, "attempts": 0, "created_at": now}
        for i in range(PUSHES)
    ]  # fmt: skip
    async with database.transaction() as session:
        await session.execute(insert(N), rows)
    await database.dispose()


async def sent(url: str) -> int:
    database = Database(url)
    async with database.session() as session:
        query = select(func.count()).where(N.c.state == "sent")
        count = int((await session.execute(query)).scalar_one())
    await database.dispose()
    return count


def test_three_replicas_share_telegrams_limit(pg_url: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WISMO_")}
    stand_in = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.telegram.botapi_process"], cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert stand_in.stdout is not None
    api_url = stand_in.stdout.readline().strip()
    settings = {
        "WISMO_DATABASE_URL": pg_url, "WISMO_SECRET_KEY": "pacing-test-secret-key-0123456789",
        "WISMO_TELEGRAM_TOKEN": "123456:TEST-token", "WISMO_TELEGRAM_API_URL": api_url,
        "WISMO_TELEGRAM_MODE": "webhook", "WISMO_TELEGRAM_WEBHOOK_SECRET": "pace-secret",
        "WISMO_TELEGRAM_WEBHOOK_URL": "https://wismo.example/telegram/webhook",
        "WISMO_TELEGRAM_RATE_GLOBAL": str(RATE), "WISMO_LOG_LEVEL": "WARNING",
    }  # fmt: skip
    replicas = []
    try:
        for _ in range(3):
            port = free_port()
            replica = subprocess.Popen(
                [str(WISMO), "run"], cwd=tmp_path,
                env={**env, **settings, "WISMO_HTTP_PORT": str(port)},
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=(tmp_path / f"replica-{port}.log").open("w"), text=True,
            )  # fmt: skip
            replicas.append(replica)
            wait_ready(f"http://127.0.0.1:{port}", replica)
        asyncio.run(load_backlog(pg_url))  # all three are up: the backlog lands at once
        deadline = time.monotonic() + PUSHES / RATE * 3
        while asyncio.run(sent(pg_url)) < PUSHES:
            assert time.monotonic() < deadline, "the replicas did not drain the outbox"
            time.sleep(0.25)  # polling the outbox, not waiting for time to pass
    finally:
        for replica in replicas:
            replica.send_signal(signal.SIGTERM)
        for replica in replicas:
            replica.wait(timeout=30)
        stand_in.send_signal(signal.SIGTERM)
        arrivals, _ = stand_in.communicate(timeout=30)
    times = sorted(at for _, at in json.loads(arrivals.strip().splitlines()[-1]))
    span = times[-1] - times[0]
    rate = (len(times) - 1) / span
    print(
        f"\n3 replicas, limit {RATE}/s: {len(times)} sendMessage in {span:.1f} s = "
        f"{rate:.1f}/s ({100 * rate / RATE:.0f} %), busiest 1 s window {busiest_window(times)}"
    )
    assert len(times) == PUSHES  # each push once
    assert busiest_window(times) <= RATE
    assert rate >= 0.9 * RATE

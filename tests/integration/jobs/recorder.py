"""A recording stand-in for a chat platform, over real HTTP on 127.0.0.1, and push loading."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web
from sqlalchemy import insert

from core.replies.reply import Reply
from core.storage.db import Database
from core.storage.models import Notification

ROOT = Path(__file__).resolve().parents[3]
# (text, how many times it was seen before) -> (status, headers); None means 200.
Script = Callable[[str, int], tuple[int, dict[str, str]] | None]


class Recorder:
    """Records every push it is sent; answers 200 unless a script says otherwise."""

    def __init__(self, script: Script | None = None, *, latency: float = 0.0) -> None:
        self.script = script
        self.latency = latency  # seconds the platform takes to answer each push
        self.seen: Counter[str] = Counter()
        self.delivered: list[tuple[str, str]] = []  # (recipient, text) answered 200
        self.delivered_at: list[float] = []  # time.monotonic() of each, in the same order
        self.runner: web.AppRunner | None = None
        self.url = ""
        self._progress = asyncio.Condition()

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        text = body["text"]
        if self.latency:
            await asyncio.sleep(self.latency)
        answer = self.script(text, self.seen[text]) if self.script else None
        self.seen[text] += 1
        if answer is not None:
            status, headers = answer
            return web.Response(status=status, headers=headers, text="no")
        self.delivered.append((body["recipient"], text))
        self.delivered_at.append(time.monotonic())
        async with self._progress:
            self._progress.notify_all()
        return web.Response(text=f"ok-{len(self.delivered)}")

    async def reach(self, count: int) -> None:
        """Wait until `count` pushes were delivered."""
        async with self._progress:
            await self._progress.wait_for(lambda: len(self.delivered) >= count)

    async def __aenter__(self) -> Recorder:
        app = web.Application()
        app.router.add_post("/", self.handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.runner is not None
        await self.runner.cleanup()

    def duplicates(self) -> int:
        counts = Counter(text for _, text in self.delivered)
        return sum(n - 1 for n in counts.values() if n > 1)

    def per_chat(self) -> dict[str, list[str]]:
        chats: dict[str, list[str]] = defaultdict(list)
        for recipient, text in self.delivered:
            chats[recipient].append(text)
        return chats


def text_of(chat: int, index: int) -> str:
    return f"chat{chat}-{index:05d}"


async def load_pushes(
    database: Database, chats: int, per_chat: int, channel: str = "test"
) -> set[str]:
    """Bulk-insert `chats × per_chat` pending pushes, interleaved across chats; their texts."""
    now = datetime.now(UTC) - timedelta(minutes=1)
    rows = []
    for index in range(per_chat):
        for chat in range(chats):
            text = text_of(chat, index)
            rows.append({
                "identity_id": None, "channel": channel, "recipient": f"chat{chat}",
                "kind": "test", "dedupe_key": text, "reply": Reply.text(text).to_dict(),
                "urgent": True, "state": "pending", "not_before": now, "attempts": 0,
                "created_at": now,
            })  # fmt: skip
    async with database.transaction() as session:
        for start in range(0, len(rows), 1000):
            await session.execute(insert(Notification.__table__), rows[start : start + 1000])  # type: ignore[attr-defined]
    return {row["dedupe_key"] for row in rows}


async def start_worker(url: str, post_to: str, *extra: str) -> asyncio.subprocess.Process:
    """A real dispatcher process (python -m bot.dispatch_worker)."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.dispatch_worker", "--database-url", url, "--post-to", post_to,
        *extra, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip

"""The stand-in Slack Web API as a process of its own, for bench/slack.py.

    python -m bench.slack_api

Serves tests/integration/slack/stand_in.py's stand-in on 127.0.0.1 (a free port) and
prints `PORT <n>` once it listens. `GET /bench/sent?after=N` answers the chat.postEphemeral
calls after the first N as `[[user, monotonic_seconds], ...]`, waiting up to a second for
one when there is none yet (CLOCK_MONOTONIC is one clock for every process).
"""

from __future__ import annotations

import asyncio
import json
import signal
import time
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from tests.integration.slack.stand_in import SlackStandIn


class BenchSlackApi(SlackStandIn):
    """The tests' stand-in, every staff user allowed, plus `/bench/sent`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ephemeral: list[tuple[str, float]] = []
        self._new = asyncio.Event()

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] == "chat.postEphemeral":
            raw = await request.read()  # aiohttp keeps it: the stand-in reads it again
            if request.content_type == "application/json":
                args = json.loads(raw or b"{}")
            else:
                args = dict(parse_qsl(raw.decode()))
            self.ephemeral.append((str(args.get("user")), time.monotonic()))
            self._new.set()
        response = await super()._api(request)
        self.calls.clear()  # a long run would otherwise keep every call's blocks
        return response

    async def sent(self, request: web.Request) -> web.Response:
        after = int(request.query.get("after", "0"))
        if len(self.ephemeral) <= after:
            self._new.clear()
            try:
                await asyncio.wait_for(self._new.wait(), 1.0)
            except TimeoutError:
                pass
        return web.json_response([[u, t] for u, t in self.ephemeral[after:]])


async def serve() -> None:
    stand_in = BenchSlackApi()
    app = stand_in.application()
    app.router.add_get("/bench/sent", stand_in.sent)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    stand_in.url = f"http://127.0.0.1:{port}"
    print(f"PORT {port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(serve())

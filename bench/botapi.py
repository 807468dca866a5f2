"""The stand-in Bot API as a process of its own, for the benchmarks that run real bots.

    python -m bench.botapi --token 4242:BENCH

Serves tests/integration/telegram/botapi.py's stand-in on 127.0.0.1 (a free port) and
prints `PORT <n>` on stdout once it listens. One route is added for the load generator:
`GET /bench/sent?after=N` answers the sendMessage calls after the first N as
`[[chat_id, monotonic_seconds], ...]`, waiting up to a second for one when there is none
yet. CLOCK_MONOTONIC is one clock for every process on the machine, so the load
generator can subtract its own POST time from the stand-in's receipt time.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from aiohttp import web

from tests.integration.telegram.botapi import BotApiServer


class BenchBotApi(BotApiServer):
    """The tests' stand-in plus `/bench/sent`; nothing else differs."""

    async def start(self) -> BenchBotApi:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._dispatch)
        app.router.add_get("/bench/sent", self._sent)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def _sent(self, request: web.Request) -> web.Response:
        after = int(request.query.get("after", "0"))
        if len(self.messages) <= after:
            self._new_message.clear()
            try:
                await asyncio.wait_for(self._new_message.wait(), 1.0)
            except TimeoutError:
                pass
        sent = [[int(m.chat_id), m.at] for m in self.messages[after:]]
        return web.json_response(sent)


async def serve(token: str) -> None:
    server = await BenchBotApi(token=token).start()
    print(f"PORT {server.port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--token", default="4242:BENCH")
    args = parser.parse_args()
    asyncio.run(serve(args.token))
    sys.exit(0)


if __name__ == "__main__":
    main()

"""The Bot API stand-in as a process of its own (for tests that run `wismo run` processes).

    python -m tests.integration.telegram.botapi_process

Prints its base URL (for WISMO_TELEGRAM_API_URL) as the first line; on SIGTERM prints every
sendMessage it answered as one JSON line, `[[chat_id, monotonic seconds], ...]`, and exits.
CLOCK_MONOTONIC is the machine's, so the times compare with other processes' on it.
"""

from __future__ import annotations

import asyncio
import json
import signal

from tests.integration.telegram.botapi import BotApiServer


async def main() -> None:
    server = await BotApiServer().start()
    print(server.api_url, flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    print(json.dumps([[m.chat_id, m.at] for m in server.messages]), flush=True)
    await server.stop()


if __name__ == "__main__":
    asyncio.run(main())

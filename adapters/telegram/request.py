"""PTB's HTTPX request, telling a client error (4xx) apart from a server error (5xx).

PTB raises NetworkError for every status it has no special exception for, 413 and 503
alike; wismo retries a 5xx and gives up on a 4xx, so this subclass names the 4xx.

It also bounds the requests in flight (`in_flight`): httpcore's connection pool does work
proportional to the connections and waiting requests on every request, so sixty-four
handlers sending at once cost several times the CPU per request of eight (measured with
bench/telegram_pipeline.py). Waiting on an asyncio semaphore costs next to nothing, and
eight requests in flight already outpace Telegram's 30 messages/s at any round-trip time
under a quarter of a second.
"""

from __future__ import annotations

import asyncio
import json
from http import HTTPStatus
from typing import Any

from telegram.error import TelegramError
from telegram.request import HTTPXRequest

# Statuses PTB already turns into a precise exception (BadRequest, InvalidToken, Forbidden,
# Conflict, RetryAfter); every other 4xx becomes ClientError here.
_PTB_HANDLED = {400, 401, 403, 404, 409, 429}


class ClientError(TelegramError):
    """Telegram refused the request with a 4xx that retrying will not fix."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(f"{description} ({status})")
        self.status = status


def _description(payload: bytes, status: int) -> str:
    try:
        data = json.loads(payload)
        return str(data.get("description") or HTTPStatus(status).phrase)
    except (ValueError, AttributeError):
        return f"HTTP {status}"


class WismoRequest(HTTPXRequest):
    """An HTTPXRequest that raises ClientError for 4xx statuses PTB would call network errors."""

    __slots__ = ("_in_flight",)

    def __init__(self, *args: Any, in_flight: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_flight = asyncio.Semaphore(in_flight) if in_flight else None

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """PTB's request, at most `in_flight` at once; a 4xx PTB has no name for is ClientError."""
        if self._in_flight is None:
            status, payload = await super().do_request(*args, **kwargs)
        else:
            async with self._in_flight:
                status, payload = await super().do_request(*args, **kwargs)
        if 400 <= status < 500 and status not in _PTB_HANDLED:
            raise ClientError(status, _description(payload, status))
        return status, payload

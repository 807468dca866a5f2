"""AfterShip Tracking API client: the `CarrierSource` the poller asks about due shipments.

`GET {base}trackings?tracking_numbers=a,b,...` (up to 50 per request) with the `as-api-key`
header. The client paces itself under the endpoint's documented limit (6 requests/s for
GET /trackings), stops when `X-RateLimit-Remaining` hits 0 until `X-RateLimit-Reset`,
waits out a 429 (`Retry-After`, else the reset time) and retries 5xx answers and timeouts
with exponential back-off. A batch that still fails raises, and the poller backs the
shipments off. Payloads are read by `adapters.carriers.aftership`, the one mapping table.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import httpx

from adapters.carriers import aftership
from adapters.carriers.parsing import PayloadError, items, mapping
from core.ingest import BadTrackingUpdate, PollResult, PollTarget, TrackingUpdate
from core.runtime import Clock, SystemClock

log = logging.getLogger(__name__)

MAX_PER_REQUEST = 50
DOCUMENTED_RATE = 6.0  # requests per second, GET /trackings (API 2024-07 and later)
Sleep = Callable[[float], Awaitable[None]]


class AfterShipError(Exception):
    """The AfterShip API refused or kept failing; the whole batch is backed off."""


class AfterShipSource:
    """Polls AfterShip for the trackings of due shipments."""

    def __init__(
        self,
        api_key: str,
        base_url: str = "https://api.aftership.com/tracking/2024-10/",
        *,
        rate_per_second: float = DOCUMENTED_RATE,
        timeout: float = 10.0,
        max_retries: int = 3,
        first_backoff: float = 0.5,
        clock: Clock | None = None,
        sleep: Sleep = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.api_key = api_key
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.min_interval = 1.0 / rate_per_second
        self.timeout = timeout
        self.max_retries = max_retries
        self.first_backoff = first_backoff
        self.clock = clock or SystemClock()
        self.sleep = sleep
        self.monotonic = monotonic  # pacing's own clock (tests pass one that sleep advances)
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._next_request_at = 0.0  # self.monotonic() before which we do not call again
        self._lock = asyncio.Lock()

    def _http(self) -> httpx.AsyncClient:
        # Built on first use, so building the services opens no connection.
        if self._client is None:
            self._client = httpx.AsyncClient(
                base_url=self.base_url,
                timeout=self.timeout,
                transport=self._transport,
                headers={"as-api-key": self.api_key, "Accept": "application/json"},
            )
        return self._client

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def poll(self, targets: Sequence[PollTarget]) -> PollResult:
        """Look up every target; numbers AfterShip does not know are reported as failed."""
        updates: list[TrackingUpdate] = []
        failed: dict[str, str] = {}
        numbers = sorted({t.tracking_number for t in targets})
        for start in range(0, len(numbers), MAX_PER_REQUEST):
            chunk = numbers[start : start + MAX_PER_REQUEST]
            trackings = await self._trackings(chunk)
            seen: set[str] = set()
            for tracking in trackings:
                number = str(tracking.get("tracking_number", ""))
                if number not in chunk:
                    continue
                try:
                    updates += aftership.tracking_updates(tracking)
                    seen.add(number)
                except (PayloadError, BadTrackingUpdate) as exc:
                    failed[number] = f"unreadable AfterShip tracking: {exc}"
            for number in chunk:
                if number not in seen and number not in failed:
                    failed[number] = "AfterShip does not track this number"
        return PollResult(updates=updates, failed=failed)

    async def _trackings(self, numbers: list[str]) -> list[dict[str, Any]]:
        params = {"tracking_numbers": ",".join(numbers), "limit": str(MAX_PER_REQUEST)}
        response = await self._get("trackings", params)
        try:
            body = response.json()
        except ValueError:
            raise AfterShipError("AfterShip answered with something that is not JSON") from None
        return items(mapping(mapping(body).get("data")).get("trackings"))

    async def _get(self, path: str, params: dict[str, str]) -> httpx.Response:
        reason = "failed"
        for attempt in range(self.max_retries + 1):
            await self._pace()
            wait: float | None = None
            try:
                response = await self._http().get(path, params=params)
            except httpx.TimeoutException:
                reason = "timed out"
            except httpx.TransportError as exc:
                reason = f"connection failed ({type(exc).__name__})"
            else:
                self._note_limits(response)
                if response.status_code == 200:
                    return response
                if response.status_code == 429:
                    reason, wait = "rate limited (429)", self._retry_after(response)
                elif response.status_code >= 500:
                    reason = f"server error {response.status_code}"
                else:
                    # 401/403/400: retrying cannot help; the operator must fix the key or URL.
                    raise AfterShipError(
                        f"AfterShip refused the request: {response.status_code} "
                        f"{_meta_message(response)}".strip()
                    )
            if attempt == self.max_retries:
                break
            delay = wait if wait is not None else self.first_backoff * 2**attempt
            log.info("AfterShip %s; retrying in %.1fs", reason, delay)
            await self.sleep(delay)
        raise AfterShipError(f"AfterShip {reason} after {self.max_retries + 1} attempts")

    async def _pace(self) -> None:
        async with self._lock:
            wait = self._next_request_at - self.monotonic()
            if wait > 0:
                await self.sleep(wait)
            self._next_request_at = max(self._next_request_at, self.monotonic()) + self.min_interval

    def _note_limits(self, response: httpx.Response) -> None:
        remaining = response.headers.get("x-ratelimit-remaining")
        if remaining is not None and remaining.strip() == "0":
            until = self._seconds_until_reset(response)
            if until:
                self._next_request_at = max(self._next_request_at, self.monotonic() + until)

    def _seconds_until_reset(self, response: httpx.Response) -> float | None:
        reset = response.headers.get("x-ratelimit-reset")
        try:
            seconds = float(reset) - self.clock.now().timestamp() if reset else None
        except ValueError:
            return None
        # A reset far away (clock skew, a daily quota) is capped: the poller backs off instead.
        return None if seconds is None else max(0.0, min(seconds, 60.0))

    def _retry_after(self, response: httpx.Response) -> float:
        header = response.headers.get("retry-after")
        if header:
            try:
                return max(0.0, min(float(header), 60.0))
            except ValueError:
                pass
        return self._seconds_until_reset(response) or 1.0


def _meta_message(response: httpx.Response) -> str:
    try:
        meta = mapping(mapping(response.json()).get("meta"))
    except ValueError:
        return ""
    return str(meta.get("message") or meta.get("type") or "")[:200]

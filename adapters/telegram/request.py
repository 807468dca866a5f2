"""PTB's networking backend on aiohttp, telling a client error (4xx) from a server error.

python-telegram-bot sends every Bot API call through a `telegram.request.BaseRequest`;
its default, HTTPXRequest, is one implementation and PTB documents subclassing
BaseRequest for another. wismo already depends on aiohttp (Slack, the HTTP clients of the
carriers), and aiohttp's client with its C HTTP parser costs a fraction of the CPU per
request of httpx + httpcore + anyio + h11 (measured with bench/telegram_pipeline.py). The
answers are the same, and so are the requests, except that the parameters go as a JSON
object (one `json.dumps`, which the Bot API accepts for every method) instead of a form
whose every value is percent-encoded byte by byte; a request with files is multipart, as
with PTB's default. PTB parses the answer.

PTB raises NetworkError for every status it has no special exception for, 413 and 503
alike; wismo retries a 5xx and gives up on a 4xx, so this class names the 4xx
(ClientError).

It also bounds the requests in flight (`in_flight`): eight requests in flight already
outpace Telegram's 30 messages/s at any round-trip time under a quarter of a second, and
a handler that waits on an asyncio semaphore costs nothing, while every request in flight
holds a connection.
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, RequestData

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


def _host(url: str) -> str:
    """Where a request went, without the path (which holds the bot's token)."""
    return urlsplit(url).netloc or "?"


def _form(request_data: RequestData) -> aiohttp.FormData:
    """A multipart body: the parameters as fields, each file as a part."""
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, part in request_data.multipart_data.items():
        filename, content, *rest = part
        form.add_field(name, content, filename=filename, content_type=rest[0] if rest else None)
    return form


class WismoRequest(BaseRequest):
    """A BaseRequest on one aiohttp ClientSession (opened by `initialize`).

    Timeouts follow PTB's meaning, each for its own phase: `pool_timeout` for waiting for
    a free connection (with `connection_pool_size` at most), `connect_timeout` for opening
    one, `read_timeout` for each wait on the answer. aiohttp has no write timeout of its
    own: an upload (`media_write_timeout`) is bounded by the four budgets together.
    """

    __slots__ = (
        "_connection_pool_size",
        "_in_flight",
        "_media_write_timeout",
        "_proxies",
        "_session",
        "_timeouts",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
        *,
        in_flight: int | None = None,
    ) -> None:
        self._connection_pool_size = connection_pool_size
        self._timeouts = {
            "read": read_timeout,
            "write": write_timeout,
            "connect": connect_timeout,
            "pool": pool_timeout,
        }
        self._media_write_timeout = media_write_timeout
        self._in_flight = asyncio.Semaphore(in_flight) if in_flight else None
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout in seconds (BaseRequest.read_timeout)."""
        return self._timeouts["read"]

    async def initialize(self) -> None:
        """Open the HTTP session (PTB calls this from Bot.initialize, inside the loop)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connection_pool_size),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    def _timeout(self, name: str, given: Any) -> float | None:
        if isinstance(given, type(BaseRequest.DEFAULT_NONE)):
            return self._timeouts[name]
        return given  # type: ignore[no-any-return]

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One Bot API request: (status, body); a 4xx PTB has no name for is ClientError."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This WismoRequest is not initialized!")
        with_files = request_data is not None and request_data.contains_files
        read = self._timeout("read", read_timeout)
        write = (
            self._media_write_timeout
            if with_files and isinstance(write_timeout, type(BaseRequest.DEFAULT_NONE))
            else self._timeout("write", write_timeout)
        )
        connect = self._timeout("connect", connect_timeout)
        pool = self._timeout("pool", pool_timeout)
        phases = (pool, connect, write, read)
        timeout = aiohttp.ClientTimeout(
            # An upload's time is bounded by all of PTB's budgets together; other requests
            # by each phase's own, as below (their small body is written at once).
            total=sum(t for t in phases if t is not None)
            if with_files and None not in phases
            else None,
            connect=None if pool is None or connect is None else pool + connect,
            sock_connect=connect,
            sock_read=read,
        )
        body: dict[str, Any] = {}
        if with_files:
            assert request_data is not None
            body["data"] = _form(request_data)
        elif request_data is not None:
            body["json"] = request_data.parameters
        if self._in_flight is None:
            status, payload = await self._send(method, url, body, timeout)
        else:
            async with self._in_flight:
                status, payload = await self._send(method, url, body, timeout)
        if 400 <= status < 500 and status not in _PTB_HANDLED:
            raise ClientError(status, _description(payload, status))
        return status, payload

    def _proxy(self, url: str) -> str | None:
        """The proxy the environment names for `url`'s origin, looked up once per origin.

        HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY, as PTB's httpx default honours
        them. (aiohttp's own `trust_env` would look them up on a thread for every request.)
        """
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._proxies:
            proxies = urllib.request.getproxies_environment()
            bypass = parts.hostname is not None and urllib.request.proxy_bypass(parts.hostname)
            chosen = None if bypass else proxies.get(parts.scheme) or proxies.get("all")
            self._proxies[origin] = chosen
        return self._proxies[origin]

    async def _send(
        self, method: str, url: str, body: dict[str, Any], limits: aiohttp.ClientTimeout
    ) -> tuple[int, bytes]:
        assert self._session is not None
        proxy = self._proxy(url)
        # aiohttp's errors quote the URL, and the URL holds the bot's token: the exceptions
        # raised here name the error and the host only, and do not chain aiohttp's.
        try:
            async with self._session.request(
                method, url, timeout=limits, proxy=proxy, **body
            ) as res:
                return res.status, await res.read()
        except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise TimedOut(f"Timed out ({type(exc).__name__}, {_host(url)})") from None
        except (aiohttp.ClientError, OSError) as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__} ({_host(url)})") from None

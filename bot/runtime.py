"""`wismo run`: one asyncio process serving HTTP, the scheduler and every configured channel."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import socket
from typing import Protocol

import uvicorn
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from bot.carriers import CarrierClients
from bot.http import create_app
from bot.memory import settle_memory
from bot.metrics import MetricsComponent
from bot.scheduler import build_jobs
from bot.services import Services
from bot.slack import build_slack
from bot.telegram import WebhookFirst, build_telegram
from core.storage import schema

log = logging.getLogger("wismo")


class Component(Protocol):
    """Something `wismo run` starts after the database is ready and stops on SIGTERM."""

    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class StartupError(Exception):
    """`wismo run` cannot start; the message names the setting to check."""


async def prepare_database(services: Services) -> None:
    """SQLite is migrated automatically; any database must end at the schema this code knows."""
    try:
        if services.database.is_sqlite:
            await schema.upgrade(services.database.engine)
        await schema.ensure_current(services.database.engine)
    except (OSError, DBAPIError) as exc:
        url = make_url(services.database.url).render_as_string(hide_password=True)
        reason = str(exc.orig if isinstance(exc, DBAPIError) else exc).splitlines()[0]
        raise StartupError(
            f"cannot reach the database at WISMO_DATABASE_URL={url}: {reason}"
        ) from None


class HttpServer:
    name = "http"

    def __init__(self, services: Services) -> None:
        settings = services.settings
        config = uvicorn.Config(
            WebhookFirst(create_app(services), services),
            host=settings.http_host,
            port=settings.http_port,
            log_level="warning",
            lifespan="off",
        )
        self.server = uvicorn.Server(config)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        config = self.server.config
        try:
            # Bound here rather than by uvicorn, which answers a taken port with sys.exit.
            listener = socket.create_server((config.host, config.port))
        except OSError as exc:
            raise StartupError(
                f"cannot listen on {config.host}:{config.port} "
                f"(WISMO_HTTP_HOST, WISMO_HTTP_PORT): {exc.strerror or exc}"
            ) from None
        # asyncio turns Nagle's algorithm off only for sockets whose proto is IPPROTO_TCP, and
        # create_server's are proto 0: without this, a response's body waits for the client's
        # delayed ACK of its headers, ~40 ms on every keep-alive request. Accepted sockets
        # inherit the option from the listener.
        listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._task = asyncio.create_task(self.server.serve(sockets=[listener]))
        while not self.server.started:
            if self._task.done():
                self._task.result()  # re-raise why it could not start (port taken, ...)
                raise RuntimeError("HTTP server stopped during start")
            await asyncio.sleep(0.02)

    async def stop(self) -> None:
        self.server.should_exit = True
        if self._task is not None:
            await self._task


def build_components(services: Services) -> list[Component]:
    """Every part `wismo run` starts, in start order; channels join when configured."""
    components: list[Component] = []
    components.append(MetricsComponent(services.metrics))
    components.append(HttpServer(services))
    telegram = build_telegram(services)
    if telegram is not None:
        components.append(telegram)
    slack = build_slack(services)
    if slack is not None:
        components.append(slack)
    if services.carrier_sources:
        components.append(CarrierClients(services.carrier_sources))
    components.append(build_jobs(services))  # last: the channels' senders exist by now
    return components


async def serve(services: Services, stop: asyncio.Event | None = None) -> None:
    """Run until SIGTERM/SIGINT (or `stop` is set), then stop every component in reverse."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await prepare_database(services)
    started: list[Component] = []
    try:
        for component in build_components(services):
            await component.start()
            started.append(component)
            log.info("started %s", component.name)
        settle_memory()
        log.info(
            "wismo is running on http://%s:%s",
            services.settings.http_host,
            services.settings.http_port,
        )
        await stop.wait()
    finally:
        for component in reversed(started):
            try:
                await component.stop()
            except Exception:
                log.exception("stopping %s failed", component.name)
        await services.database.dispose()
        gc.unfreeze()  # what start-up built may be collected again once the service stops

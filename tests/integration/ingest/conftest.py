"""The real HTTP app under uvicorn on 127.0.0.1 (port 0), an httpx client and an API key."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
import pytest
import uvicorn

from bot.http import create_app
from bot.services import Services, core_config
from bot.settings import Settings
from core.ingest import apikeys
from core.runtime.clock import ManualClock
from core.storage.db import Database

SECRETS = {
    "aftership_webhook_secret": "aftership-test-secret",
    "easypost_webhook_secret": "easypost-tëst-secret",  # non-ASCII: NFKD normalisation matters
    "shopify_webhook_secret": "shopify-test-secret",
}
MAX_BYTES = 200_000


@dataclass
class Served:
    client: httpx.AsyncClient
    services: Services
    key: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


async def serve_app(services: Services) -> tuple[uvicorn.Server, asyncio.Task[None], int]:
    """Start the app on an ephemeral port in this event loop."""
    config = uvicorn.Config(
        create_app(services), host="127.0.0.1", port=0, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, task, port


@asynccontextmanager
async def serving(database: Database, clock: ManualClock) -> AsyncIterator[Served]:
    """The app for `database` on 127.0.0.1, a client for it and a fresh API key."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database.url,
        max_request_bytes=MAX_BYTES,
        **SECRETS,
    )
    services = Services(
        settings=settings, database=database, clock=clock, config=core_config(settings)
    )
    async with database.transaction() as session:
        created = await apikeys.create_key(session, clock, "shop")
    server, task, port = await serve_app(services)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            yield Served(client=client, services=services, key=created.secret)
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def served(db: Database, clock: ManualClock) -> AsyncIterator[Served]:
    """The ingest API on a fresh SQLite database."""
    async with serving(db, clock) as running:
        yield running


@pytest.fixture
async def pg_served(pg_db: Database, clock: ManualClock) -> AsyncIterator[Served]:
    """The ingest API on a fresh PostgreSQL database."""
    async with serving(pg_db, clock) as running:
        yield running

"""`wismo run` that cannot start says which setting to check, exits 1, and shows no traceback."""

from __future__ import annotations

import asyncio
import socket

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.runtime import StartupError, serve
from bot.services import build_services
from bot.settings import load_settings
from core.storage.db import Database


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_database_is_named_without_its_password() -> None:
    url = f"postgresql+asyncpg://wismo:hunter2pw@127.0.0.1:{closed_port()}/wismo"
    result = CliRunner().invoke(
        app, ["run"], env={"WISMO_DATABASE_URL": url, "WISMO_HTTP_PORT": "0"}
    )
    assert result.exit_code == 1, result.output
    assert "error: cannot reach the database at WISMO_DATABASE_URL=" in result.output
    assert "hunter2pw" not in result.output and "Traceback" not in result.output


async def test_a_taken_port_is_named_and_nothing_keeps_running(db: Database) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        services = build_services(
            load_settings(_env_file=None, database_url=db.url, http_port=port)
        )
        with pytest.raises(
            StartupError, match=rf"cannot listen on 127.0.0.1:{port} .*WISMO_HTTP_PORT"
        ):
            await asyncio.wait_for(serve(services, asyncio.Event()), timeout=30)


async def test_responses_leave_without_waiting_for_the_clients_ack(db: Database) -> None:
    """Nagle's algorithm off on every accepted connection: a keep-alive response's body is not
    held back until the client acknowledges its headers (a delayed ACK: ~40 ms a request)."""
    from bot.runtime import HttpServer

    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    services = build_services(load_settings(_env_file=None, database_url=db.url, http_port=port))
    server = HttpServer(services)
    await server.start()
    try:
        listener = server.server.servers[0].sockets[0]
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(2):  # the second request is the keep-alive one
            writer.write(b"GET /healthz HTTP/1.1\r\nHost: wismo\r\n\r\n")
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200")
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            assert await reader.readexactly(length) == b'{"status":"ok"}'
        writer.close()
    finally:
        await server.stop()

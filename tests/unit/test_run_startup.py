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

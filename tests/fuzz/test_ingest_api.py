"""Schemathesis against the ingest API's own OpenAPI, over real HTTP: no 5xx, and every
answer matches the schema (status code documented, body of the documented shape).

A fixed example budget per operation keeps the run short (`FUZZ_EXAMPLES`, default 25).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from bot.http import create_app
from bot.services import build_services
from bot.settings import Settings
from core.ingest import apikeys
from core.runtime.clock import SystemClock
from core.storage.db import Database
from tests.integration.ingest.conftest import SECRETS

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@dataclass
class Running:
    base_url: str
    auth: dict[str, str]


@pytest.fixture(scope="module")
def running(migrated_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The HTTP app under uvicorn in a thread of its own, on a fresh SQLite database."""
    path = tmp_path_factory.mktemp("fuzz") / "wismo.db"
    shutil.copy(migrated_template, path)
    url = f"sqlite+aiosqlite:///{path}"

    async def make_key() -> str:
        database = Database(url)
        async with database.transaction() as session:
            created = await apikeys.create_key(session, SystemClock(), "fuzz")
        await database.dispose()
        return created.secret

    key = asyncio.run(make_key())
    services = build_services(
        Settings(_env_file=None, database_url=url, **SECRETS)  # type: ignore[call-arg]
    )
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(services), host="127.0.0.1", port=0, log_level="critical", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive(), "uvicorn did not start"
        threading.Event().wait(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield Running(f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {key}"})
    server.should_exit = True
    thread.join(10)


def _schema() -> schemathesis.BaseSchema:
    services = build_services(Settings(_env_file=None))  # type: ignore[call-arg]
    document = create_app(services).openapi()
    document["paths"] = {p: v for p, v in document["paths"].items() if p.startswith("/api/v1")}
    return schemathesis.openapi.from_dict(document)


SCHEMA = _schema()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.mark.parametrize("mode", list(schemathesis.GenerationMode), ids=lambda m: m.value)
@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_no_server_error_and_every_answer_matches_the_schema(
    running: Running, operation: schemathesis.APIOperation, mode: schemathesis.GenerationMode
) -> None:
    """Valid requests (positive) and requests that break the schema (negative) alike."""

    @given(case=operation.as_strategy(mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(base_url=running.base_url, headers=running.auth, checks=CHECKS)

    check()

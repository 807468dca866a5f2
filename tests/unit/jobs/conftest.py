"""Fixtures for the jobs tests."""

from __future__ import annotations

import pytest

from core.storage.db import Database


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest) -> Database:
    """The same behaviour on both databases wismo supports (PostgreSQL via `pg_db`)."""
    return request.getfixturevalue("db" if request.param == "sqlite" else "pg_db")

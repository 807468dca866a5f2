"""A failed statement's error (which ends up in the log) never carries the shopper's data."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from core.storage.db import Database
from core.storage.models import Customer

EMAIL = "alex.morgan@example.com"
PHONE = "+49 30 1234567"


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest) -> Database:
    return request.getfixturevalue("db" if request.param == "sqlite" else "pg_db")


async def test_an_integrity_error_names_the_statement_not_the_values(database: Database):
    now = datetime(2026, 11, 26, tzinfo=UTC)
    async with database.transaction() as session:
        session.add(Customer(external_id="c1", email=EMAIL, phone=PHONE, created_at=now))
    with pytest.raises(IntegrityError) as raised:
        async with database.transaction() as session:
            session.add(Customer(external_id="c1", email=EMAIL, phone=PHONE, created_at=now))
    message = str(raised.value)
    assert "INSERT INTO customer" in message
    assert EMAIL not in message and PHONE not in message

"""API keys: shown once, stored as a hash, revocable, unknown keys refused."""

from __future__ import annotations

import pytest
from sqlmodel import select

from core.ingest import apikeys
from core.runtime.clock import ManualClock
from core.storage.db import Database
from core.storage.models import ApiKey


async def test_a_created_key_authenticates_and_only_its_hash_is_stored(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        created = await apikeys.create_key(session, clock, "shop")
    assert created.secret.startswith(f"wismo_{created.prefix}_")
    async with db.session() as session:
        stored = (await session.exec(select(ApiKey))).one()
    assert created.secret not in (stored.key_hash, stored.prefix, stored.name)
    assert stored.key_hash == apikeys.hash_key(created.secret)

    async with db.transaction() as session:
        key = await apikeys.authenticate(session, clock, created.secret)
    assert key is not None and key.name == "shop"
    assert key.last_used_at == clock.now()


async def test_wrong_and_revoked_keys_are_refused(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as session:
        created = await apikeys.create_key(session, clock, "wms")
    async with db.transaction() as session:
        assert await apikeys.authenticate(session, clock, created.secret + "x") is None
        assert await apikeys.authenticate(session, clock, "not-a-wismo-key") is None
        await apikeys.revoke_key(session, clock, "wms")
    async with db.transaction() as session:
        assert await apikeys.authenticate(session, clock, created.secret) is None
        listed = await apikeys.list_keys(session)
    assert [(k.name, k.revoked_at) for k in listed] == [("wms", clock.now())]


async def test_names_are_unique_and_well_formed(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as session:
        await apikeys.create_key(session, clock, "shop")
    async with db.transaction() as session:
        with pytest.raises(apikeys.ApiKeyError, match="already exists"):
            await apikeys.create_key(session, clock, "shop")
        with pytest.raises(apikeys.ApiKeyError, match="bad key name"):
            await apikeys.create_key(session, clock, "has space")
        with pytest.raises(apikeys.ApiKeyError, match="no key named"):
            await apikeys.revoke_key(session, clock, "ghost")


async def test_last_used_is_written_at_most_once_a_minute(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as session:
        created = await apikeys.create_key(session, clock, "shop")
    async with db.transaction() as session:
        await apikeys.authenticate(session, clock, created.secret)
    first = clock.now()
    clock.advance(seconds=30)
    async with db.transaction() as session:
        key = await apikeys.authenticate(session, clock, created.secret)
    assert key is not None and key.last_used_at == first
    clock.advance(seconds=31)
    async with db.transaction() as session:
        await apikeys.authenticate(session, clock, created.secret)
    async with db.session() as session:
        stored = (await session.exec(select(ApiKey))).one()
    assert stored.last_used_at == clock.now()

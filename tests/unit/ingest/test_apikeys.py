"""API keys: shown once, stored as a hash, revocable, rotatable, deletable, unknown keys
refused."""

from __future__ import annotations

from datetime import timedelta

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
    assert [(apikeys.display_name(k), k.revoked_at) for k in listed] == [("wms", clock.now())]


async def test_names_are_unique_and_well_formed(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as session:
        await apikeys.create_key(session, clock, "shop")
    async with db.transaction() as session:
        with pytest.raises(apikeys.ApiKeyError, match="already exists"):
            await apikeys.create_key(session, clock, "shop")
        with pytest.raises(apikeys.ApiKeyError, match="bad key name"):
            await apikeys.create_key(session, clock, "has space")
        with pytest.raises(apikeys.ApiKeyError, match="no active key named 'ghost'"):
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


async def works(db: Database, clock: ManualClock, secret: str) -> bool:
    async with db.transaction() as session:
        return await apikeys.authenticate(session, clock, secret) is not None


async def test_a_revoked_keys_name_can_be_used_again(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as session:
        old = await apikeys.create_key(session, clock, "warehouse")
    async with db.transaction() as session:
        await apikeys.revoke_key(session, clock, "warehouse")
    async with db.transaction() as session:
        new = await apikeys.create_key(session, clock, "warehouse")
    assert await works(db, clock, new.secret) and not await works(db, clock, old.secret)
    async with db.session() as session:
        names = [apikeys.display_name(k) for k in await apikeys.list_keys(session)]
    assert names == ["warehouse", "warehouse"]  # the revoked one stays listed


async def test_a_rotated_key_works_through_the_grace_period_then_is_refused(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        old = await apikeys.create_key(session, clock, "wms")
    async with db.transaction() as session:
        new = await apikeys.rotate_key(session, clock, "wms", grace=timedelta(hours=24))
    assert new.name == "wms" and new.secret != old.secret
    assert await works(db, clock, old.secret) and await works(db, clock, new.secret)
    clock.advance(hours=23, minutes=59)
    assert await works(db, clock, old.secret)
    clock.advance(minutes=1)
    assert not await works(db, clock, old.secret)
    assert await works(db, clock, new.secret)
    async with db.transaction() as session:
        newer = await apikeys.rotate_key(session, clock, "wms", grace=timedelta(0))
    assert not await works(db, clock, new.secret) and await works(db, clock, newer.secret)


async def test_rotating_needs_an_active_key_and_a_grace_period_of_zero_or_more(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        with pytest.raises(apikeys.ApiKeyError, match="no active key named 'ghost'"):
            await apikeys.rotate_key(session, clock, "ghost", grace=timedelta(hours=1))
        await apikeys.create_key(session, clock, "shop")
        with pytest.raises(apikeys.ApiKeyError, match="cannot be negative"):
            await apikeys.rotate_key(session, clock, "shop", grace=timedelta(hours=-1))


async def test_revoking_a_rotated_name_also_ends_the_old_keys_grace(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        old = await apikeys.create_key(session, clock, "wms")
    async with db.transaction() as session:
        new = await apikeys.rotate_key(session, clock, "wms", grace=timedelta(days=7))
    async with db.transaction() as session:
        await apikeys.revoke_key(session, clock, "wms")
    assert not await works(db, clock, old.secret) and not await works(db, clock, new.secret)


async def test_deleting_a_key_removes_it_and_its_rotated_predecessors(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        old = await apikeys.create_key(session, clock, "w_s")
        other = await apikeys.create_key(session, clock, "wxs")  # `_` is no wildcard
    async with db.transaction() as session:
        new = await apikeys.rotate_key(session, clock, "w_s", grace=timedelta(days=1))
        await apikeys.rotate_key(session, clock, "wxs", grace=timedelta(days=1))  # "wxs@…"
    async with db.transaction() as session:
        assert await apikeys.delete_key(session, "w_s") == 2
    assert not await works(db, clock, old.secret) and not await works(db, clock, new.secret)
    assert await works(db, clock, other.secret)
    async with db.transaction() as session:
        assert [apikeys.display_name(k) for k in await apikeys.list_keys(session)] == ["wxs"] * 2
        with pytest.raises(apikeys.ApiKeyError, match="no key named 'w_s'"):
            await apikeys.delete_key(session, "w_s")
        created = await apikeys.create_key(session, clock, "w_s")
    assert await works(db, clock, created.secret)

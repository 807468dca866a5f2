"""API keys for the ingest API: shown once at creation, stored only as a hash.

A key looks like `wismo_<prefix>_<secret>`. The prefix is stored in clear so an operator
can tell keys apart in `wismo apikey list`; the whole key is stored as its SHA-256. Keys
carry 256 bits of randomness, so a fast hash is enough (no password stretching needed).

A name belongs to one current key. Revoking or rotating a key retires it: it keeps its
row (for the list and the audit trail) under `<name>@<id>` — `@` cannot occur in a name —
so the name is free for the next key. `revoked_at` is when a key stops working: now for a
revoke, now plus the grace period for the old key of a rotation.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.runtime.clock import Clock
from core.storage.models import ApiKey

KEY_PREFIX = "wismo"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
# Writing last_used_at on every request would turn each read into a write; a minute is
# precise enough to tell an idle key from a busy one.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiKeyError(Exception):
    """A key operation that cannot be done; the message says why."""


@dataclass(frozen=True)
class CreatedKey:
    """A new key: `secret` is the full key, shown to the operator once and never again."""

    name: str
    prefix: str
    secret: str


def hash_key(key: str) -> str:
    """The stored form of a presented key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


RETIRED_MARK = "@"  # `<name>@<id>`: a retired key; the name is free again


def display_name(key: ApiKey) -> str:
    """The name the operator gave, also for a retired key."""
    return key.name.split(RETIRED_MARK, 1)[0]


def is_active(key: ApiKey, now: datetime) -> bool:
    """Does the key still open the ingest API at `now`?"""
    return key.revoked_at is None or key.revoked_at > now


async def create_key(session: AsyncSession, clock: Clock, name: str) -> CreatedKey:
    """Create a key called `name`; raises ApiKeyError for a bad name or one a current key has
    (a revoked or rotated key's name can be used again)."""
    if not NAME_PATTERN.fullmatch(name):
        raise ApiKeyError(
            f"bad key name {name!r}: use 1-64 letters, digits, '_', '.' or '-', "
            "starting with a letter or digit"
        )
    existing = await _current(session, name)
    if existing is not None:
        if existing.revoked_at is None:
            raise ApiKeyError(
                f"a key named {name!r} already exists; `wismo apikey rotate {name}` replaces it"
            )
        await _retire(session, existing, existing.revoked_at)
    return await _new_key(session, clock, name)


async def rotate_key(
    session: AsyncSession, clock: Clock, name: str, *, grace: timedelta
) -> CreatedKey:
    """A new key for `name`; the old one keeps working for `grace`, then is refused.
    ApiKeyError when no active key has that name or `grace` is negative."""
    if grace < timedelta(0):
        raise ApiKeyError("the grace period cannot be negative")
    old = await _current(session, name)
    now = clock.now()
    if old is None or not is_active(old, now):
        raise ApiKeyError(f"no active key named {name!r}")
    ends = now + grace
    await _retire(session, old, min(ends, old.revoked_at) if old.revoked_at else ends)
    return await _new_key(session, clock, name)


async def delete_key(session: AsyncSession, name: str) -> int:
    """Delete the key called `name` and its retired predecessors; requests carrying any
    of them are refused from now on. Returns how many were deleted (ApiKeyError if none)."""
    if not NAME_PATTERN.fullmatch(name):
        raise ApiKeyError(f"no key named {name!r}")
    retired = col(ApiKey.name).startswith(f"{name}{RETIRED_MARK}", autoescape=True)
    result = await session.exec(
        delete(ApiKey).where(or_(col(ApiKey.name) == name, retired))  # type: ignore[call-overload]
    )
    if not result.rowcount:
        raise ApiKeyError(f"no key named {name!r}")
    return int(result.rowcount)


async def _current(session: AsyncSession, name: str) -> ApiKey | None:
    return (await session.exec(select(ApiKey).where(ApiKey.name == name))).first()


async def _retire(session: AsyncSession, key: ApiKey, stops_at: datetime) -> None:
    """Move `key` off its name (to `<name>@<id>`), working until `stops_at`."""
    key.name = f"{key.name}{RETIRED_MARK}{key.id}"
    key.revoked_at = stops_at
    session.add(key)
    await session.flush()


async def _new_key(session: AsyncSession, clock: Clock, name: str) -> CreatedKey:
    prefix = secrets.token_hex(4)
    secret = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    session.add(ApiKey(name=name, prefix=prefix, key_hash=hash_key(secret), created_at=clock.now()))
    await session.flush()
    return CreatedKey(name=name, prefix=prefix, secret=secret)


async def revoke_key(session: AsyncSession, clock: Clock, name: str) -> ApiKey:
    """Revoke the key called `name` (at once, for every replica) and any older key of that
    name still in its grace period; the name is free again. ApiKeyError if unknown."""
    key = await _current(session, name)
    if key is None:
        raise ApiKeyError(f"no active key named {name!r}")
    now = clock.now()
    await session.exec(
        update(ApiKey)  # type: ignore[call-overload]
        .where(col(ApiKey.name).startswith(f"{name}{RETIRED_MARK}", autoescape=True))
        .where(or_(col(ApiKey.revoked_at).is_(None), col(ApiKey.revoked_at) > now))
        .values(revoked_at=now)
    )
    await _retire(session, key, now if key.revoked_at is None else min(now, key.revoked_at))
    return key


async def list_keys(session: AsyncSession) -> list[ApiKey]:
    """Every key, active and revoked, oldest first."""
    rows = await session.exec(select(ApiKey).order_by(col(ApiKey.created_at), col(ApiKey.id)))
    return list(rows.all())


async def authenticate(session: AsyncSession, clock: Clock, presented: str) -> ApiKey | None:
    """The active key matching `presented`, or None; notes when it was last used."""
    if not presented.startswith(f"{KEY_PREFIX}_") or len(presented) > 200:
        return None
    digest = hash_key(presented)
    key = (await session.exec(select(ApiKey).where(ApiKey.key_hash == digest))).first()
    # compare_digest keeps the final check constant-time even though the lookup is by hash.
    now = clock.now()
    if key is None or not is_active(key, now) or not hmac.compare_digest(key.key_hash, digest):
        return None
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        await session.exec(
            update(ApiKey).where(col(ApiKey.id) == key.id).values(last_used_at=now)  # type: ignore[call-overload]
        )
        key.last_used_at = now
    return key

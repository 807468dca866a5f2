"""API keys for the ingest API: shown once at creation, stored only as a hash.

A key looks like `wismo_<prefix>_<secret>`. The prefix is stored in clear so an operator
can tell keys apart in `wismo apikey list`; the whole key is stored as its SHA-256. Keys
carry 256 bits of randomness, so a fast hash is enough (no password stretching needed).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
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


async def create_key(session: AsyncSession, clock: Clock, name: str) -> CreatedKey:
    """Create a key called `name`; raises ApiKeyError for a bad or already used name."""
    if not NAME_PATTERN.fullmatch(name):
        raise ApiKeyError(
            f"bad key name {name!r}: use 1-64 letters, digits, '_', '.' or '-', "
            "starting with a letter or digit"
        )
    existing = (await session.exec(select(ApiKey).where(ApiKey.name == name))).first()
    if existing is not None:
        state = "revoked" if existing.revoked_at else "active"
        raise ApiKeyError(f"a key named {name!r} already exists ({state})")
    prefix = secrets.token_hex(4)
    secret = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    session.add(ApiKey(name=name, prefix=prefix, key_hash=hash_key(secret), created_at=clock.now()))
    await session.flush()
    return CreatedKey(name=name, prefix=prefix, secret=secret)


async def revoke_key(session: AsyncSession, clock: Clock, name: str) -> ApiKey:
    """Revoke the key called `name` (at once, for every replica); ApiKeyError if unknown."""
    key = (await session.exec(select(ApiKey).where(ApiKey.name == name))).first()
    if key is None:
        raise ApiKeyError(f"no key named {name!r}")
    if key.revoked_at is None:
        key.revoked_at = clock.now()
        session.add(key)
        await session.flush()
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
    if key is None or key.revoked_at is not None or not hmac.compare_digest(key.key_hash, digest):
        return None
    now = clock.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        await session.exec(
            update(ApiKey).where(col(ApiKey.id) == key.id).values(last_used_at=now)  # type: ignore[call-overload]
        )
        key.last_used_at = now
    return key

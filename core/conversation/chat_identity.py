"""Who is writing: the ChannelIdentity of an inbound message, created on first contact."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.instrumentation import manager_of_class
from sqlalchemy.orm.util import identity_key
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.replies.reply import Inbound
from core.runtime.clock import Clock
from core.storage import hot_sql
from core.storage.columns import UTCDateTime
from core.storage.models import ChannelIdentity, ConversationState

log = logging.getLogger(__name__)

# Built once: the identity and any conversation in progress, in one statement.
_IDENTITY_WITH_STATE = (
    select(ChannelIdentity, ConversationState)
    .outerjoin(ConversationState, col(ConversationState.identity_id) == col(ChannelIdentity.id))
    .where(
        col(ChannelIdentity.channel) == bindparam("channel"),
        col(ChannelIdentity.external_id) == bindparam("sender"),
    )
)

# The same look-up as plain columns for the usual case (a known chat in no flow): the
# identity is then built from the row and attached to the session without the ORM's
# query and loading machinery (core.storage.hot_sql).
_IDENTITY_COLUMNS = (
    "id",
    "channel",
    "external_id",
    "customer_id",
    "display_name",
    "locale",
    "timezone",
    "verified_at",
    "pushes_enabled",
    "blocked_at",
    "created_at",
    "last_seen_at",
)
_IDENTITY_ROW: Any = (
    select(  # type: ignore[call-overload]  # more columns than sqlmodel's overloads
        *(getattr(ChannelIdentity, name) for name in _IDENTITY_COLUMNS),
        ConversationState.identity_id,
    )
    .outerjoin(ConversationState, col(ConversationState.identity_id) == col(ChannelIdentity.id))
    .where(
        col(ChannelIdentity.channel) == bindparam("channel"),
        col(ChannelIdentity.external_id) == bindparam("sender"),
    )
)

_IDENTITY_CLASS: Any = manager_of_class(ChannelIdentity)

# Touch last_seen_at at most this often (seconds): a write per message is wasted work.
_SEEN_EVERY = 300
# The touch as one plain UPDATE: through the ORM it would cost a unit-of-work flush.
_IDENTITIES: Any = ChannelIdentity.__table__  # type: ignore[attr-defined]
_TOUCH = (
    update(_IDENTITIES)
    .where(_IDENTITIES.c.id == bindparam("identity_id"))
    .values(last_seen_at=bindparam("at", type_=UTCDateTime))
)


async def chat_identity(
    session: AsyncSession, clock: Clock, inbound: Inbound
) -> tuple[ChannelIdentity, ConversationState | None]:
    """The sender's identity (created on first contact with the app's language, name kept
    current) and the multi-step conversation it is in, if any."""
    params = {"channel": inbound.channel, "sender": inbound.sender_id}
    now = clock.now()
    rows = await hot_sql.fetch(session, _IDENTITY_ROW, params)
    if rows and rows[0][-1] is None:
        identity = _attached(session, rows[0])
        return await _refreshed(session, identity, inbound, now), None
    row = (await session.exec(_IDENTITY_WITH_STATE, params=params)).first()
    if row is None:
        identity = ChannelIdentity(
            channel=inbound.channel,
            external_id=inbound.sender_id,
            display_name=inbound.display_name[:200],
            locale=inbound.locale,
            created_at=now,
            last_seen_at=now,
        )
        try:
            async with session.begin_nested():
                session.add(identity)
        except IntegrityError:
            # The same new chat's other message won the race; use its row.
            return await chat_identity(session, clock, inbound)
        log.info("new %s identity %s", inbound.channel, identity.id)
        return identity, None
    identity, state = row
    return await _refreshed(session, identity, inbound, now), state


def _attached(session: AsyncSession, row: Sequence[Any]) -> ChannelIdentity:
    """The identity of a plain row, persistent in `session` as if the ORM had loaded it."""
    existing = session.sync_session.identity_map.get(identity_key(ChannelIdentity, row[0]))
    if isinstance(existing, ChannelIdentity):
        return existing  # already loaded in this session: keep its pending changes
    # As the ORM's loading does: a bare instance with its columns filled in, which
    # skips the model's constructor (validation and change tracking of every field).
    identity: ChannelIdentity = _IDENTITY_CLASS.new_instance()
    identity.__dict__.update(zip(_IDENTITY_COLUMNS, row[:-1], strict=True))
    make_transient_to_detached(identity)  # its values become the committed state
    session.add(identity)
    return identity


async def _refreshed(
    session: AsyncSession, identity: ChannelIdentity, inbound: Inbound, now: datetime
) -> ChannelIdentity:
    """The identity with its name as the message says, last seen touched. (Its language is
    the conversation's to choose: the app's language only counts until the chat has one.)"""
    if inbound.display_name and inbound.display_name[:200] != identity.display_name:
        identity.display_name = inbound.display_name[:200]
    seen = identity.last_seen_at
    if seen is None or (now - seen).total_seconds() >= _SEEN_EVERY:
        await hot_sql.write(session, _TOUCH, {"identity_id": identity.id, "at": now})
        set_committed_value(identity, "last_seen_at", now)  # written: nothing to flush
    return identity

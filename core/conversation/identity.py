"""Proving a chat belongs to a customer: signed deep-link tokens, or order number + secret.

Until a chat is verified it learns nothing about any order, not even whether it exists:
a wrong pair and an unknown order number give the same outcome, and both count as failed
attempts (`verify_max_attempts` per `verify_window`):

- per chat, every kind of failure: one chat cannot go on guessing;
- per order number, only postcode guesses: a postcode is a small space that many chats
  together could search, an e-mail address is not. So strangers guessing can pause the
  postcode proof of an order, but never the owner's e-mail proof, and never a deep link.

A link token is 40 characters of `[A-Za-z0-9_-]` (Telegram's deep-link alphabet, at most
64): a random 16-character id followed by a 24-character HMAC of it under the secret key.
The id names a LinkToken row, which says which order it opens, until when, and whether
it was used; a token without a valid signature never reaches the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.pushes.following import follow_open_orders
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.storage.models import ChannelIdentity, Customer, LinkToken, Order, VerificationAttempt
from core.tracking.lookup import order_number_by_tracking

log = logging.getLogger(__name__)

_ID_CHARS = 16
_SIG_CHARS = 24
TOKEN_LENGTH = _ID_CHARS + _SIG_CHARS
# Expired tokens are kept a while so a late tap still reads "expired", not "invalid".
TOKEN_RETENTION = timedelta(days=30)
_TOKEN_SHAPE = re.compile(rf"[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}")


class Outcome(StrEnum):
    OK = "ok"
    FAILED = "failed"  # wrong pair or unknown order: deliberately one outcome
    LOCKED = "locked"  # this chat failed too often
    POSTCODE_LOCKED = "postcode_locked"  # too many postcode guesses for this order number
    INVALID_TOKEN = "invalid_token"
    EXPIRED = "expired"
    USED = "used"


@dataclass(frozen=True)
class Verification:
    outcome: Outcome
    customer_id: int | None = None
    order_id: int | None = None
    order_number: str | None = None
    retry_after: timedelta | None = None  # for LOCKED and POSTCODE_LOCKED

    @property
    def ok(self) -> bool:
        """True when the chat is now verified."""
        return self.outcome is Outcome.OK


class UnknownOrderError(LookupError):
    """No order has that number."""


def _sign(config: CoreConfig, token_id: str) -> str:
    digest = hmac.new(
        config.secret_key.encode(), b"wismo-link:" + token_id.encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()  # 18 bytes -> 24 chars, no padding


def normalise_order_number(number: str) -> str:
    """The order number as stored: surrounding space and a leading '#' removed."""
    return number.strip().lstrip("#").strip()


async def create_link_token(
    session: AsyncSession, clock: Clock, config: CoreConfig, order_number: str
) -> str:
    """A new single-use token opening `order_number` for `config.link_token_ttl`.

    Raises UnknownOrderError when there is no such order.
    """
    number = normalise_order_number(order_number)
    order_id = (await session.exec(select(Order.id).where(Order.number == number))).first()
    if order_id is None:
        raise UnknownOrderError(f"no order with number {number!r}")
    token_id = secrets.token_urlsafe(12)  # 12 bytes -> 16 chars
    now = clock.now()
    session.add(
        LinkToken(
            id=token_id, order_id=order_id, expires_at=now + config.link_token_ttl, created_at=now
        )
    )
    return token_id + _sign(config, token_id)


def link_url(config: CoreConfig, token: str) -> str:
    """The Telegram deep link that starts a chat with the bot carrying `token`."""
    return f"https://t.me/{config.telegram_bot_username}?start={token}"


async def verify_by_token(
    session: AsyncSession, clock: Clock, config: CoreConfig, identity: ChannelIdentity, token: str
) -> Verification:
    """Verify `identity` with a deep-link token; the token is used up on success.

    Opening the same link again from the chat that used it succeeds again (a shopper
    tapping their e-mail link twice is not an attacker); any other chat gets USED.
    """
    token = token.strip()
    token_id, signature = token[:_ID_CHARS], token[_ID_CHARS:]
    if not _TOKEN_SHAPE.fullmatch(token) or not hmac.compare_digest(
        signature, _sign(config, token_id)
    ):
        return await _refuse_bad_token(session, clock, config, identity)
    row = await session.get(LinkToken, token_id)
    if row is None:
        return await _refuse_bad_token(session, clock, config, identity)
    now = clock.now()
    if row.used_at is not None and row.used_by_identity_id != identity.id:
        return Verification(Outcome.USED)
    if row.expires_at <= now:
        return Verification(Outcome.EXPIRED)
    if row.used_at is None:
        # A conditional update: of two chats racing with one token, exactly one wins.
        claimed = await session.exec(
            update(LinkToken)
            .where(col(LinkToken.id) == token_id, col(LinkToken.used_at).is_(None))
            .values(used_at=now, used_by_identity_id=identity.id)
            .execution_options(synchronize_session=False)
        )
        if not claimed.rowcount:
            return Verification(Outcome.USED)
    customer_id, number = (
        await session.exec(select(Order.customer_id, Order.number).where(Order.id == row.order_id))
    ).one()
    await link_identity(session, clock, identity, customer_id)
    log.info("identity %s verified by link token for order id %s", identity.id, row.order_id)
    return Verification(Outcome.OK, customer_id, row.order_id, number)


async def _refuse_bad_token(
    session: AsyncSession, clock: Clock, config: CoreConfig, identity: ChannelIdentity
) -> Verification:
    assert identity.id is not None
    retry = await _locked_for(session, clock, config, "identity", str(identity.id))
    if retry is not None:
        return Verification(Outcome.LOCKED, retry_after=retry)
    session.add(VerificationAttempt(scope="identity", key=str(identity.id), at=clock.now()))
    log.info("identity %s presented an invalid link token", identity.id)
    return Verification(Outcome.INVALID_TOKEN)


async def verify_by_order_and_secret(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    identity: ChannelIdentity,
    order_number: str,
    secret: str,
) -> Verification:
    """Verify `identity` by an order number plus the e-mail address or postcode on it.

    Refused (LOCKED) once the chat has `verify_max_attempts` failures within
    `verify_window`; a postcode is refused (POSTCODE_LOCKED) once the order number has as
    many failed postcode guesses, from any chats, while its e-mail address is still checked.
    A wrong secret and an unknown order both return FAILED and count the same, so a
    guesser cannot tell them apart.
    """
    assert identity.id is not None
    number = normalise_order_number(order_number)
    retry = await locked_for(session, clock, config, identity)
    if retry is not None:
        log.info("verification refused: attempt limit reached (identity %s)", identity.id)
        return Verification(Outcome.LOCKED, retry_after=retry)
    by_postcode = not _is_email(secret)
    if by_postcode:
        retry = await _locked_for(session, clock, config, "postcode", _number_key(number))
        if retry is not None:
            log.info("postcode proof paused for an order number (identity %s)", identity.id)
            return Verification(Outcome.POSTCODE_LOCKED, retry_after=retry)
    row = await _order_to_prove(session, number)
    if row is None:
        # A parcel's tracking number names its order just as well (the same checks apply).
        by_tracking = await order_number_by_tracking(session, order_number)
        if by_tracking is not None:
            row = await _order_to_prove(session, by_tracking)
    if row is not None:
        order_id, customer_id, postcode, email, real_number = row
        if _secret_matches(secret, email, postcode):
            await link_identity(session, clock, identity, customer_id)
            log.info("identity %s verified by order id %s", identity.id, order_id)
            return Verification(Outcome.OK, customer_id, order_id, real_number)
    now = clock.now()
    session.add(VerificationAttempt(scope="identity", key=str(identity.id), at=now))
    if by_postcode:
        session.add(VerificationAttempt(scope="postcode", key=_number_key(number), at=now))
    log.info("verification failed for identity %s", identity.id)
    return Verification(Outcome.FAILED)


async def _order_to_prove(session: AsyncSession, number: str) -> Any:
    """(order id, customer id, postcode, e-mail, number) of order `number`, or None."""
    row = (
        await session.exec(
            select(Order, Customer.email)
            .join(Customer, col(Customer.id) == col(Order.customer_id))
            .where(Order.number == number)
        )
    ).first()
    if row is None:
        return None
    order, email = row
    return order.id, order.customer_id, order.ship_postcode, email, order.number


async def locked_for(
    session: AsyncSession, clock: Clock, config: CoreConfig, identity: ChannelIdentity
) -> timedelta | None:
    """How long until this chat may try to prove an order again, or None: allowed now.

    Only the chat's own failures count: what other chats typed never locks it out.
    """
    return await _locked_for(session, clock, config, "identity", str(identity.id))


def _number_key(number: str) -> str:
    # Keyed by the number as typed, so the postcode limit says nothing about existence.
    return normalise_order_number(number).lower()


def _is_email(secret: str) -> bool:
    return "@" in secret


def _secret_matches(secret: str, email: str, postcode: str) -> bool:
    given = secret.strip()
    if _is_email(given):
        return hmac.compare_digest(given.lower().encode(), email.strip().lower().encode())
    wanted = _postcode_key(postcode)
    return bool(wanted) and hmac.compare_digest(_postcode_key(given).encode(), wanted.encode())


def _postcode_key(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch.isalnum())


async def _locked_for(
    session: AsyncSession, clock: Clock, config: CoreConfig, scope: str, key: str
) -> timedelta | None:
    """How long until the next attempt is allowed, or None when one is allowed now."""
    since = clock.now() - config.verify_window
    statement = (
        select(VerificationAttempt.at)
        .where(
            VerificationAttempt.scope == scope,
            VerificationAttempt.key == key,
            VerificationAttempt.at > since,
        )
        .order_by(col(VerificationAttempt.at).desc())
        .limit(config.verify_max_attempts)
    )
    recent = (await session.exec(statement)).all()
    if len(recent) < config.verify_max_attempts:
        return None
    # The lock lifts when the oldest of the last `max` failures leaves the window.
    return recent[-1] + config.verify_window - clock.now()


async def failed_attempts(
    session: AsyncSession, clock: Clock, config: CoreConfig, scope: str, key: str
) -> int:
    """Failures recorded for `scope`/`key` within the window (for tests and staff tools).

    Scopes: "identity" (key: the identity id) and "postcode" (key: the order number).
    """
    statement = select(func.count()).where(
        VerificationAttempt.scope == scope,
        VerificationAttempt.key == key,
        VerificationAttempt.at > clock.now() - config.verify_window,
    )
    return int((await session.exec(statement)).one())


async def link_identity(
    session: AsyncSession, clock: Clock, identity: ChannelIdentity, customer_id: int
) -> None:
    """Mark `identity` as the customer's, and follow their open orders unless pushes are off."""
    assert identity.id is not None
    identity.customer_id = customer_id
    identity.verified_at = clock.now()
    session.add(identity)
    if identity.pushes_enabled:
        await follow_open_orders(session, clock, identity.id, customer_id)


async def prune(session: AsyncSession, clock: Clock, config: CoreConfig) -> int:
    """Delete failed attempts that no longer count and link tokens long expired.

    Safe to run at any time on any replica (a daily job calls it); returns rows removed.
    """
    now = clock.now()
    attempts = await session.exec(
        delete(VerificationAttempt).where(col(VerificationAttempt.at) <= now - config.verify_window)
    )
    tokens = await session.exec(
        delete(LinkToken).where(col(LinkToken.expires_at) <= now - TOKEN_RETENTION)
    )
    return int(attempts.rowcount or 0) + int(tokens.rowcount or 0)

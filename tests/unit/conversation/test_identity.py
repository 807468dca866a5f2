"""Link tokens and order-number verification, at the service level."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from core.conversation.identity import (
    Outcome,
    UnknownOrderError,
    create_link_token,
    failed_attempts,
    link_url,
    verify_by_order_and_secret,
    verify_by_token,
)
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from core.storage.models import ChannelIdentity, LinkToken, Subscription


async def _identity(db: Database, clock: ManualClock, sender: str, **kw: object) -> ChannelIdentity:
    async with db.transaction() as session:
        identity = ChannelIdentity(channel="test", external_id=sender, created_at=clock.now(), **kw)  # type: ignore[arg-type]
        session.add(identity)
    return identity


async def _token(db: Database, clock: ManualClock, config: CoreConfig, number: str = "1001") -> str:
    async with db.transaction() as session:
        return await create_link_token(session, clock, config, number)


async def _use(
    db: Database, clock: ManualClock, config: CoreConfig, identity: ChannelIdentity, token: str
) -> Outcome:
    async with db.transaction() as session:
        identity = await session.merge(identity)
        return (await verify_by_token(session, clock, config, identity, token)).outcome


async def test_a_token_fits_a_telegram_deep_link(
    db: Database, clock: ManualClock, config: CoreConfig, shop: dict[str, int]
) -> None:
    token = await _token(db, clock, config)
    assert len(token) <= 64
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert link_url(config, token) == f"https://t.me/wismo_bot?start={token}"
    async with db.session() as session:
        row = (await session.exec(select(LinkToken))).one()
    assert row.order_id == shop["1001"]
    assert row.expires_at == clock.now() + config.link_token_ttl
    assert row.id not in token[16:]  # the stored id is only the first part


async def test_no_token_for_an_unknown_order(
    db: Database, clock: ManualClock, config: CoreConfig, shop: dict[str, int]
) -> None:
    with pytest.raises(UnknownOrderError):
        await _token(db, clock, config, "9999")


async def test_a_token_verifies_once(
    db: Database, clock: ManualClock, config: CoreConfig, shop: dict[str, int]
) -> None:
    token = await _token(db, clock, config)
    first = await _identity(db, clock, "a")
    assert await _use(db, clock, config, first, token) is Outcome.OK
    async with db.session() as session:
        verified = await session.get(ChannelIdentity, first.id)
        assert verified is not None and verified.customer_id == shop["jane"]
        assert verified.verified_at == clock.now()
    # The same chat tapping the link again is fine; any other chat is refused.
    assert await _use(db, clock, config, first, token) is Outcome.OK
    second = await _identity(db, clock, "b")
    assert await _use(db, clock, config, second, token) is Outcome.USED


async def test_a_token_expires(
    db: Database, clock: ManualClock, config: CoreConfig, shop: dict[str, int]
) -> None:
    token = await _token(db, clock, config)
    clock.advance(config.link_token_ttl + timedelta(seconds=1))
    assert await _use(db, clock, config, await _identity(db, clock, "a"), token) is Outcome.EXPIRED


async def test_a_tampered_token_is_refused(
    db: Database, clock: ManualClock, config: CoreConfig, shop: dict[str, int]
) -> None:
    token = await _token(db, clock, config)
    identity = await _identity(db, clock, "a")
    flip = {"A": "B"}.get(token[-1], "A")
    for forged in (
        token[:-1] + flip,
        ("x" if token[0] != "x" else "y") + token[1:],
        token[:30],
        "",
        "a" * 40,
    ):
        assert await _use(db, clock, config, identity, forged) is Outcome.INVALID_TOKEN, forged
    fresh = await _identity(db, clock, "b")
    other_key = CoreConfig(secret_key="another-secret")
    assert await _use(db, clock, other_key, fresh, token) is Outcome.INVALID_TOKEN
    # A genuine token still works for the chat its guesses locked out; then it is used up.
    assert await _use(db, clock, config, identity, token) is Outcome.OK
    assert await _use(db, clock, config, fresh, token) is Outcome.USED


async def test_bad_tokens_count_as_failed_attempts(
    db: Database, clock: ManualClock, config: CoreConfig, shop: dict[str, int]
) -> None:
    identity = await _identity(db, clock, "a")
    for _ in range(config.verify_max_attempts):
        assert await _use(db, clock, config, identity, "b" * 40) is Outcome.INVALID_TOKEN
    assert await _use(db, clock, config, identity, "b" * 40) is Outcome.LOCKED


async def _verify(
    db: Database,
    clock: ManualClock,
    config: CoreConfig,
    identity: ChannelIdentity,
    number: str,
    secret: str,
) -> Outcome:
    async with db.transaction() as session:
        identity = await session.merge(identity)
        return (
            await verify_by_order_and_secret(session, clock, config, identity, number, secret)
        ).outcome


@pytest.mark.parametrize(
    ("number", "secret"),
    [
        ("1001", "jane@example.com"),
        ("#1001", " JANE@example.COM "),
        ("1001", "10115"),
        ("2001", "sw1a1aa"),
        ("2001", "SW1A 1AA"),
    ],
)
async def test_order_number_and_email_or_postcode(
    db: Database,
    clock: ManualClock,
    config: CoreConfig,
    shop: dict[str, int],
    number: str,
    secret: str,
) -> None:
    assert (
        await _verify(db, clock, config, await _identity(db, clock, "a"), number, secret)
        is Outcome.OK
    )


@pytest.mark.parametrize(
    ("number", "secret", "postcode_guesses"),
    [
        ("1001", "bob@example.com", 0),
        ("1001", "jane@example", 0),
        ("1001", "SW1A 1AA", 1),
        ("9999", "jane@example.com", 0),
        ("9999", "10115", 1),
        ("1001", "", 1),
    ],
)
async def test_a_wrong_pair_fails_and_counts(
    db: Database,
    clock: ManualClock,
    config: CoreConfig,
    shop: dict[str, int],
    number: str,
    secret: str,
    postcode_guesses: int,
) -> None:
    identity = await _identity(db, clock, "a")
    assert await _verify(db, clock, config, identity, number, secret) is Outcome.FAILED
    async with db.session() as session:
        assert await failed_attempts(session, clock, config, "identity", str(identity.id)) == 1
        # Only a postcode guess counts against the order number: that space is small.
        assert await failed_attempts(session, clock, config, "postcode", number) == postcode_guesses


async def test_an_order_without_a_postcode_never_matches_an_empty_one(
    db: Database, clock: ManualClock, config: CoreConfig, shop: dict[str, int]
) -> None:
    from core.storage.models import Order

    async with db.transaction() as session:
        order = await session.get(Order, shop["1001"])
        assert order is not None
        order.ship_postcode = ""
    assert (
        await _verify(db, clock, config, await _identity(db, clock, "a"), "1001", " - ")
        is Outcome.FAILED
    )


async def test_the_chat_limit_lifts_after_the_window_and_locks_no_other_chat(
    db: Database, clock: ManualClock, config: CoreConfig, shop: dict[str, int]
) -> None:
    chat = await _identity(db, clock, "a")
    for _ in range(5):
        assert await _verify(db, clock, config, chat, "1001", "x@example.com") is Outcome.FAILED
        clock.advance(minutes=1)
    async with db.transaction() as session:
        chat = await session.merge(chat)
        result = await verify_by_order_and_secret(
            session, clock, config, chat, "1001", "jane@example.com"
        )
    assert result.outcome is Outcome.LOCKED
    assert result.retry_after == timedelta(minutes=55)  # the first failure leaves the window then
    other = await _identity(db, clock, "b")
    assert await _verify(db, clock, config, other, "1001", "jane@example.com") is Outcome.OK
    clock.advance(minutes=56)
    assert await _verify(db, clock, config, chat, "1001", "jane@example.com") is Outcome.OK


async def test_email_guesses_from_many_chats_never_lock_the_owner_out(
    db: Database, clock: ManualClock, config: CoreConfig, shop: dict[str, int]
) -> None:
    for n in range(20):
        guesser = await _identity(db, clock, f"guesser-{n}")
        assert (
            await _verify(db, clock, config, guesser, "1001", f"attacker{n}@example.org")
            is Outcome.FAILED
        )
    owner = await _identity(db, clock, "owner")
    assert await _verify(db, clock, config, owner, "1001", "10115") is Outcome.OK


async def test_postcode_guesses_from_many_chats_pause_only_the_postcode_proof(
    db: Database, clock: ManualClock, config: CoreConfig, shop: dict[str, int]
) -> None:
    for n in range(5):
        guesser = await _identity(db, clock, f"guesser-{n}")
        assert await _verify(db, clock, config, guesser, "1001", f"1{n:04d}") is Outcome.FAILED
        clock.advance(minutes=1)
    # The sixth chat may not try a postcode, not even the right one: the space is small.
    late = await _identity(db, clock, "guesser-5")
    async with db.transaction() as session:
        late = await session.merge(late)
        result = await verify_by_order_and_secret(session, clock, config, late, "1001", "10115")
    assert result.outcome is Outcome.POSTCODE_LOCKED
    assert result.retry_after == timedelta(minutes=55)
    # An unknown number reads the same: the pause says nothing about existence.
    for n in range(5):
        guesser = await _identity(db, clock, f"ghost-{n}")
        await _verify(db, clock, config, guesser, "9999", f"2{n:04d}")
    assert await _verify(db, clock, config, late, "9999", "10115") is Outcome.POSTCODE_LOCKED
    async with db.session() as session:
        assert await failed_attempts(session, clock, config, "identity", str(late.id)) == 0
    # The owner's e-mail still proves it, and another order's postcode is unaffected.
    owner = await _identity(db, clock, "owner")
    assert await _verify(db, clock, config, owner, "1001", "jane@example.com") is Outcome.OK
    bob = await _identity(db, clock, "bob")
    assert await _verify(db, clock, config, bob, "2001", "SW1A 1AA") is Outcome.OK
    clock.advance(minutes=56)
    assert await _verify(db, clock, config, late, "1001", "10115") is Outcome.OK


async def test_a_deep_link_works_for_a_chat_and_an_order_both_locked(
    db: Database, clock: ManualClock, config: CoreConfig, shop: dict[str, int]
) -> None:
    chat = await _identity(db, clock, "a")
    for n in range(5):
        await _verify(db, clock, config, chat, "1001", f"1{n:04d}")
    assert await _verify(db, clock, config, chat, "1001", "jane@example.com") is Outcome.LOCKED
    assert await _verify(db, clock, config, chat, "1001", "10115") is Outcome.LOCKED
    assert await _use(db, clock, config, chat, await _token(db, clock, config)) is Outcome.OK


async def test_the_limit_is_configurable(
    db: Database, clock: ManualClock, shop: dict[str, int]
) -> None:
    config = CoreConfig(secret_key="s", verify_max_attempts=2, verify_window=timedelta(minutes=10))
    chat = await _identity(db, clock, "a")
    for _ in range(2):
        await _verify(db, clock, config, chat, "1001", "x@example.com")
    assert await _verify(db, clock, config, chat, "1001", "jane@example.com") is Outcome.LOCKED
    clock.advance(minutes=11)
    assert await _verify(db, clock, config, chat, "1001", "jane@example.com") is Outcome.OK


async def _followed(db: Database, identity_id: int | None) -> set[int]:
    async with db.session() as session:
        rows = await session.exec(
            select(Subscription.order_id).where(
                Subscription.identity_id == identity_id, Subscription.active
            )
        )
        return set(rows.all())


async def test_verifying_follows_the_open_orders(
    db: Database, clock: ManualClock, config: CoreConfig, shop: dict[str, int]
) -> None:
    chat = await _identity(db, clock, "a")
    assert await _verify(db, clock, config, chat, "1001", "jane@example.com") is Outcome.OK
    # 1003 is delivered: nothing more to hear about it.
    assert await _followed(db, chat.id) == {shop["1001"], shop["1002"], shop["1004"]}


async def test_a_chat_that_stopped_pushes_follows_nothing(
    db: Database, clock: ManualClock, config: CoreConfig, shop: dict[str, int]
) -> None:
    chat = await _identity(db, clock, "a", pushes_enabled=False)
    assert await _verify(db, clock, config, chat, "1001", "jane@example.com") is Outcome.OK
    assert await _followed(db, chat.id) == set()


async def test_prune_drops_attempts_out_of_the_window_and_long_expired_tokens(
    db: Database, clock: ManualClock, config: CoreConfig, shop: dict[str, int]
) -> None:
    from core.conversation.identity import TOKEN_RETENTION, prune

    chat = await _identity(db, clock, "a")
    await _verify(db, clock, config, chat, "1001", "10116")  # two rows: chat and postcode
    token = await _token(db, clock, config)
    clock.advance(config.verify_window)
    async with db.transaction() as session:
        assert await prune(session, clock, config) == 2
    clock.advance(config.link_token_ttl + TOKEN_RETENTION)
    async with db.transaction() as session:
        assert await prune(session, clock, config) == 1
    assert (
        await _use(db, clock, config, await _identity(db, clock, "b"), token)
        is Outcome.INVALID_TOKEN
    )

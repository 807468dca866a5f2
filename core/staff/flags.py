"""Flags: issues on an order that staff should look at — raised, listed, resolved.

Exception detection raises flags with an `open_key` (one open flag per problem); staff
raise them from Slack. Raising enqueues the alert card to the staff alerts channel (and,
when asked, a calm notice to the shopper) in the caller's transaction, so the flag and
its messages commit together.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlalchemy import and_, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.pushes import notifications
from core.replies.messages import text
from core.replies.reply import Button, Reply
from core.runtime import metrics
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.runtime.zones import zone
from core.staff.cards import FLAG_KIND_LABELS, flag_card
from core.storage import audit
from core.storage.models import ChannelIdentity, Flag, Order, Shipment, Subscription

log = logging.getLogger(__name__)

FLAG_KINDS = frozenset(FLAG_KIND_LABELS)
FLAG_SOURCES = frozenset({"staff", "detector", "shopper"})
MAX_NOTE = 2000

# The flag kinds with a notice of their own (core.replies.messages "flag_notice.<kind>"); the
# others get "flag_notice.default". Never more alarming than the facts.
SHOPPER_NOTICE_KINDS = frozenset(
    {"delayed", "late", "damaged", "lost", "wrong_item", "address_problem"}
)


class FlagError(Exception):
    """A flag operation that cannot be done as asked."""


class UnknownFlagKind(FlagError):
    def __init__(self, kind: str) -> None:
        super().__init__(f"unknown flag kind {kind!r}; expected one of {sorted(FLAG_KINDS)}")
        self.kind = kind


class NoteTooLong(FlagError):
    def __init__(self, length: int) -> None:
        super().__init__(f"note is {length} characters; at most {MAX_NOTE} allowed")
        self.length = length


class OrderNotFound(FlagError):
    def __init__(self, order_id: int) -> None:
        super().__init__(f"no order with id {order_id}")
        self.order_id = order_id


class FlagNotFound(FlagError):
    def __init__(self, flag_id: int) -> None:
        super().__init__(f"no flag #{flag_id}")
        self.flag_id = flag_id


class FlagAlreadyResolved(FlagError):
    """Someone resolved the flag first; says who and when."""

    def __init__(self, flag: Flag) -> None:
        super().__init__(f"flag #{flag.id} was already resolved by {flag.resolved_by}")
        self.flag = flag
        self.by = flag.resolved_by
        self.at = flag.resolved_at


def _snapshot(flag: Flag) -> dict[str, Any]:
    return {
        "state": flag.state,
        "kind": flag.kind,
        "note": flag.note,
        "resolved_by": flag.resolved_by,
        "resolution_note": flag.resolution_note,
    }


def shopper_notice(order: Order, kind: str, locale: str | None = None) -> Reply:
    """The calm message a shopper gets when staff flag their order with "notify shopper"."""
    key = f"flag_notice.{kind}" if kind in SHOPPER_NOTICE_KINDS else "flag_notice.default"
    return Reply.text(
        text(key, locale, number=order.number),
        intent="flag_notice",
        order_number=order.number,
        buttons=[Button(text("button.track_order", locale), "track", order.number)],
    )


async def _shopper_identities(session: AsyncSession, order: Order) -> list[ChannelIdentity]:
    """Chats that follow the order or are verified as its customer, and still accept pushes."""
    following = select(Subscription.identity_id).where(
        Subscription.order_id == order.id, col(Subscription.active).is_(True)
    )
    query = select(ChannelIdentity).where(
        or_(
            col(ChannelIdentity.id).in_(following),
            and_(
                col(ChannelIdentity.customer_id) == order.customer_id,
                col(ChannelIdentity.verified_at).is_not(None),
            ),
        ),
        col(ChannelIdentity.pushes_enabled).is_(True),
        col(ChannelIdentity.blocked_at).is_(None),
        col(ChannelIdentity.channel) != "slack",
    )
    return list((await session.exec(query.order_by(col(ChannelIdentity.id)))).all())


async def raise_flag(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    order_id: int,
    kind: str,
    *,
    shipment_id: int | None = None,
    source: str = "detector",
    note: str = "",
    open_key: str | None = None,
    actor: str | None = None,
    notify_shopper: bool = False,
    evidence: dict[str, Any] | None = None,
    alert_after: datetime | None = None,
) -> Flag | None:
    """Open a flag on an order; None when a flag with the same `open_key` is already open.

    Enqueues the alert card to `config.slack_alerts_channel` (when set) and, with
    `notify_shopper`, a notice to each chat that follows the order. Audited as
    `flag.raise` by `actor` (or `wismo:<source>`). Runs in the caller's transaction.
    `evidence` (a shopper's report: facts, photo references) is shown on the card;
    `alert_after` holds the alert back until then (the flag itself is open at once).
    """
    if kind not in FLAG_KINDS:
        raise UnknownFlagKind(kind)
    if source not in FLAG_SOURCES:
        raise FlagError(f"unknown flag source {source!r}")
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise NoteTooLong(len(note))
    order = await session.get(Order, order_id)
    if order is None:
        raise OrderNotFound(order_id)
    shipment = await session.get(Shipment, shipment_id) if shipment_id is not None else None
    if shipment_id is not None and (shipment is None or shipment.order_id != order_id):
        raise FlagError(f"shipment {shipment_id} does not belong to order {order.number}")
    if open_key is not None:
        existing = await session.exec(select(Flag.id).where(Flag.open_key == open_key))
        if existing.first() is not None:
            return None
    flag = Flag(
        order_id=order_id,
        shipment_id=shipment_id,
        kind=kind,
        source=source,
        note=note,
        open_key=open_key,
        notify_shopper=notify_shopper,
        raised_by=actor,
        created_at=clock.now(),
        evidence=evidence,
    )
    try:
        # A concurrent raise of the same problem loses on the unique open_key, harmlessly.
        async with session.begin_nested():
            session.add(flag)
    except IntegrityError:
        return None
    assert flag.id is not None
    await audit.record(
        session,
        clock,
        actor=actor or f"wismo:{source}",
        action="flag.raise",
        subject_type="flag",
        subject_id=flag.id,
        before=None,
        after={**_snapshot(flag), "order": order.number, "notify_shopper": notify_shopper},
    )
    if config.slack_alerts_channel:
        await notifications.enqueue_staff_alert(
            session,
            clock,
            config.slack_alerts_channel,
            flag_card(order, flag, shipment, tz=zone(config.timezone)),
            kind=f"flag_{kind}",
            dedupe_key=f"flag:{flag.id}:alert",
            subject_type="flag",
            subject_id=flag.id,
            order_id=order.id,
            shipment_id=shipment_id,
            not_before=alert_after,
        )
    else:
        log.info("flag %s raised on order id %s; no alerts channel configured", flag.id, order_id)
    if notify_shopper:
        for identity in await _shopper_identities(session, order):
            await notifications.enqueue(
                session,
                clock,
                config,
                identity,
                shopper_notice(order, kind, identity.locale),
                kind="flag_notice",
                dedupe_key=f"flag:{flag.id}:shopper:{identity.id}",
                urgent=True,
                order_id=order.id,
                subject_type="flag",
                subject_id=flag.id,
            )
    metrics.flag_raised(kind, source)
    return flag


async def resolve_flag(
    session: AsyncSession, clock: Clock, flag_id: int, *, actor: str, note: str = ""
) -> Flag:
    """Resolve an open flag with a note; exactly one of two concurrent resolves wins.

    Raises FlagNotFound, NoteTooLong, or FlagAlreadyResolved (who and when) for the loser.
    Frees the flag's `open_key` so the same problem can be raised again later.
    """
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise NoteTooLong(len(note))
    flag = await session.get(Flag, flag_id)
    if flag is None:
        raise FlagNotFound(flag_id)
    before = _snapshot(flag)
    now = clock.now()
    result = await session.exec(
        update(Flag)
        .where(col(Flag.id) == flag_id, col(Flag.state) == "open")
        .values(
            state="resolved",
            resolved_by=actor,
            resolved_at=now,
            resolution_note=note,
            open_key=None,
        )
    )
    await session.refresh(flag)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise FlagAlreadyResolved(flag)
    await audit.record(
        session,
        clock,
        actor=actor,
        action="flag.resolve",
        subject_type="flag",
        subject_id=flag_id,
        before=before,
        after=_snapshot(flag),
    )
    return flag


async def open_flags(session: AsyncSession, order_id: int) -> list[Flag]:
    """The order's open flags, oldest first."""
    query = (
        select(Flag)
        .where(Flag.order_id == order_id, Flag.state == "open")
        .order_by(col(Flag.created_at), col(Flag.id))
    )
    return list((await session.exec(query)).all())


async def flags_of_order(session: AsyncSession, order_id: int) -> list[Flag]:
    """Every flag of the order, open and resolved, oldest first."""
    query = (
        select(Flag).where(Flag.order_id == order_id).order_by(col(Flag.created_at), col(Flag.id))
    )
    return list((await session.exec(query)).all())


async def flag_card_of(
    session: AsyncSession,
    flag_id: int,
    names: Mapping[str, str] | None = None,
    tz: tzinfo = UTC,
) -> Reply:
    """The current alert card of a flag (to update a posted card in place), times in `tz`."""
    flag = await session.get(Flag, flag_id)
    if flag is None:
        raise FlagNotFound(flag_id)
    order = await session.get(Order, flag.order_id)
    assert order is not None
    shipment = await session.get(Shipment, flag.shipment_id) if flag.shipment_id else None
    return flag_card(order, flag, shipment, names, tz)

"""A shopper's report of a problem as a flag for staff: one per order and kind, escalated on repeat.

A report raises a flag of its kind (`delivered_not_received`, `damaged`, `cancel_order`, ...)
with the evidence it rests on — the carrier's delivery event, the items, the order's status —
under the open key `shopper:<kind>:<order id>`. While a flag of that kind is open on the
order (the shopper's, or exception detection's "stuck"), the report escalates it: the count
goes up, the time is kept, and staff get a fresh alert saying so, instead of a second flag.
Photos and the shopper's own words are added to the flag later (`add_to_report`).
Everything runs in the caller's transaction; logs carry ids only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.pushes import notifications
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.runtime.zones import zone
from core.staff.cards import flag_card, when
from core.staff.flags import MAX_NOTE, raise_flag
from core.storage import audit
from core.storage.models import Flag, Order, Shipment

log = logging.getLogger(__name__)

MAX_PHOTOS = 10  # per report; more says nothing new to staff
MAX_DETAILS = 5
MAX_DETAIL_LENGTH = 500


@dataclass(frozen=True)
class Report:
    """The flag a report raised or escalated, and which of the two happened."""

    flag: Flag
    escalated: bool

    @property
    def already_known(self) -> bool:
        """Staff (or exception detection) had this flag open before the shopper wrote."""
        return self.escalated and self.flag.source != "shopper"


def open_key(kind: str, order_id: int) -> str:
    """The one open shopper flag per order and kind."""
    return f"shopper:{kind}:{order_id}"


async def report_to_staff(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    order_id: int,
    kind: str,
    *,
    facts: list[str],
    reporter: str,
    shipment_id: int | None = None,
    case_opens_at: datetime | None = None,
) -> Report:
    """Raise a flag of `kind` on the order with `facts`, or escalate the open one.

    `reporter` is the chat's actor id (e.g. "telegram:<identity id>"), never a name or an
    address. With `case_opens_at` the flag is open at once but staff are alerted only then
    (the shop's wait after a delivery scan). Raises core.staff.flags.UnknownFlagKind for a
    kind staff do not know.
    """
    key = open_key(kind, order_id)
    now = clock.now()
    tz = zone(config.timezone)
    existing = await _open_flag_of_kind(session, order_id, kind)
    if existing is None:
        evidence: dict[str, Any] = {"facts": facts, "reports": [when(now, tz)]}
        if case_opens_at is not None and case_opens_at > now:
            evidence["case_opens_at"] = case_opens_at.isoformat()
        summary = f"Reported by the shopper in the chat: {facts[0]}" if facts else ""
        flag = await raise_flag(
            session,
            clock,
            config,
            order_id,
            kind,
            shipment_id=shipment_id,
            source="shopper",
            note=summary[:MAX_NOTE],
            open_key=key,
            actor=reporter,
            evidence=evidence,
            alert_after=case_opens_at,
        )
        if flag is not None:
            return Report(flag, escalated=False)
        # A concurrent report raised it first: escalate that one.
        existing = (await session.exec(select(Flag).where(Flag.open_key == key))).first()
        assert existing is not None
    return Report(await _escalate(session, clock, config, existing, facts), escalated=True)


async def _open_flag_of_kind(session: AsyncSession, order_id: int, kind: str) -> Flag | None:
    """The order's open flag of `kind`, whoever raised it (exception detection raises
    "stuck" too): one flag per order and kind."""
    query = (
        select(Flag)
        .where(Flag.order_id == order_id, Flag.kind == kind, Flag.state == "open")
        .order_by(col(Flag.id))
    )
    return (await session.exec(query)).first()


async def _escalate(
    session: AsyncSession, clock: Clock, config: CoreConfig, flag: Flag, facts: list[str]
) -> Flag:
    assert flag.id is not None
    now = clock.now()
    tz = zone(config.timezone)
    evidence = dict(flag.evidence or {})
    evidence["facts"] = facts or evidence.get("facts", [])  # the latest facts
    evidence["reports"] = [*evidence.get("reports", []), when(now, tz)]
    flag.evidence = evidence  # a new dict, so the JSON column is written
    flag.escalations += 1
    session.add(flag)
    await audit.record(
        session,
        clock,
        actor=flag.raised_by or "wismo:shopper",
        action="flag.escalate",
        subject_type="flag",
        subject_id=flag.id,
        before={"escalations": flag.escalations - 1},
        after={"escalations": flag.escalations},
    )
    await _alert(session, clock, config, flag, f"escalation:{flag.escalations}")
    log.info("flag %s escalated by a repeat report (%s)", flag.id, flag.escalations)
    return flag


async def report_is_open(session: AsyncSession, flag_id: int) -> bool:
    """Whether the report's flag is still open (staff may have resolved it meanwhile)."""
    flag = await session.get(Flag, flag_id)
    return flag is not None and flag.state == "open"


async def add_to_report(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    flag_id: int,
    *,
    photo: str | None = None,
    detail: str | None = None,
) -> int:
    """Add a photo reference or the shopper's words to an open report; returns the photo count.

    Staff get the card again with the addition. A closed flag or one past its limits keeps
    what it has (the count is still returned).
    """
    flag = await session.get(Flag, flag_id)
    if flag is None or flag.state != "open":
        return 0
    evidence = dict(flag.evidence or {})
    photos = list(evidence.get("photos", []))
    details = list(evidence.get("details", []))
    if photo and photo not in photos and len(photos) < MAX_PHOTOS:
        photos.append(photo)
        evidence["photos"] = photos
        await _save(session, clock, config, flag, evidence, f"photo:{len(photos)}")
    elif detail and len(details) < MAX_DETAILS:
        details.append(detail.strip()[:MAX_DETAIL_LENGTH])
        evidence["details"] = details
        await _save(session, clock, config, flag, evidence, f"detail:{len(details)}")
    return len(photos)


async def _save(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    flag: Flag,
    evidence: dict[str, Any],
    what: str,
) -> None:
    flag.evidence = evidence
    session.add(flag)
    await _alert(session, clock, config, flag, what)


async def _alert(
    session: AsyncSession, clock: Clock, config: CoreConfig, flag: Flag, what: str
) -> None:
    """The flag's card to the alerts channel again, once per change (`what`)."""
    if not config.slack_alerts_channel:
        return
    order = await session.get(Order, flag.order_id)
    assert order is not None and flag.id is not None
    shipment = await session.get(Shipment, flag.shipment_id) if flag.shipment_id else None
    opens = (flag.evidence or {}).get("case_opens_at")
    await notifications.enqueue_staff_alert(
        session,
        clock,
        config.slack_alerts_channel,
        flag_card(order, flag, shipment, tz=zone(config.timezone)),
        kind=f"flag_{flag.kind}",
        dedupe_key=f"flag:{flag.id}:{what}",
        subject_type="flag",
        subject_id=flag.id,
        order_id=order.id,
        shipment_id=flag.shipment_id,
        # A case the shop opens only after its wait stays quiet until then, updates too.
        not_before=datetime.fromisoformat(opens) if opens else None,
    )

"""Which shipment changes a shopper hears about, what the push says, and who gets it.

One push per change that matters — shipped (with the tracking link), out for delivery,
failed attempt, available for pickup, delivered, exception, and a moved delivery date —
never one per carrier scan, and never the same change twice (each push carries a
dedupe key built from the change itself).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from core.pushes.notifications import enqueue, followers
from core.pushes.quiet_hours import shopper_timezone
from core.replies import messages
from core.replies.reply import Button, KeyValue, Reply, Section
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.runtime.zones import zone
from core.storage.models import Order, Shipment
from core.tracking.carrier_links import carrier_name, tracking_link
from core.tracking.statuses import ShipmentStatus


class PushKind(StrEnum):
    SHIPPED = "shipped"
    OUT_FOR_DELIVERY = "out_for_delivery"
    FAILED_ATTEMPT = "failed_attempt"
    AVAILABLE_FOR_PICKUP = "available_for_pickup"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    RETURNED_TO_SENDER = "returned_to_sender"
    ETA_CHANGED = "eta_changed"


# The shopper has to act (or be home) today; these go out even during quiet hours.
URGENT_KINDS = frozenset({PushKind.OUT_FOR_DELIVERY, PushKind.FAILED_ATTEMPT})
# What a shopper wants a new message for; anything else only edits their live status message
# where the channel keeps one (core.pushes.live).
MILESTONES = frozenset(PushKind) - {PushKind.ETA_CHANGED}
# These happen once per shipment; the others can recur (a second failed attempt is news).
ONCE_PER_SHIPMENT = frozenset({PushKind.SHIPPED, PushKind.DELIVERED, PushKind.RETURNED_TO_SENDER})

_NOT_YET_MOVING = frozenset({ShipmentStatus.PENDING, ShipmentStatus.INFO_RECEIVED})
_DIRECT = {
    ShipmentStatus.OUT_FOR_DELIVERY: PushKind.OUT_FOR_DELIVERY,
    ShipmentStatus.FAILED_ATTEMPT: PushKind.FAILED_ATTEMPT,
    ShipmentStatus.AVAILABLE_FOR_PICKUP: PushKind.AVAILABLE_FOR_PICKUP,
    ShipmentStatus.DELIVERED: PushKind.DELIVERED,
    ShipmentStatus.EXCEPTION: PushKind.EXCEPTION,
}


def push_kind_for_change(previous: ShipmentStatus, new: ShipmentStatus) -> PushKind | None:
    """The push a status change deserves, or None (pending, label created, expired, back on
    track after a hiccup: nothing the shopper needs to hear)."""
    if new == previous:
        return None
    if new == ShipmentStatus.IN_TRANSIT:
        return PushKind.SHIPPED if previous in _NOT_YET_MOVING else None
    return _DIRECT.get(new)


def change_key(
    identity_id: int, shipment_id: int, kind: PushKind, occurred_at: datetime | None
) -> str:
    """The dedupe key of one change for one follower."""
    base = f"push:{identity_id}:{shipment_id}:{kind.value}"
    if kind in ONCE_PER_SHIPMENT or occurred_at is None:
        return base
    return f"{base}:{int(occurred_at.timestamp())}"


def format_day(
    when: datetime, tz_name: str, fallback: str = "UTC", locale: str | None = None
) -> str:
    """A shopper-friendly day in their zone and language, e.g. "Tue 3 Nov"."""
    return messages.format_day(when, zone(tz_name, fallback), locale)


def local_day(when: datetime, tz_name: str, fallback: str = "UTC") -> str:
    """The calendar day of `when` in the zone, ISO format."""
    return when.astimezone(zone(tz_name, fallback)).date().isoformat()


def push_reply(
    kind: PushKind,
    order: Order,
    shipment: Shipment,
    *,
    tz_name: str,
    config: CoreConfig,
    previous_eta: datetime | None = None,
    note: str = "",
    locale: str | None = None,
) -> Reply:
    """The push itself, in the recipient's language: plain text, tracking details, and the
    buttons that help next."""
    number = order.number

    def t(key: str, /, **values: object) -> str:
        return messages.text(key, locale, **values)

    # Shoppers know "DHL", not the code a feed stores ("dhl"), and every parcel a carrier
    # has a public page for gets a link even when the source sent none.
    carrier = carrier_name(shipment.carrier) if shipment.carrier else t("push.carrier_unknown")
    link = tracking_link(shipment.carrier, shipment.tracking_number, shipment.tracking_url)
    eta = format_day(shipment.eta, tz_name, config.timezone, locale) if shipment.eta else None
    place = shipment.last_location
    title = t(f"push.{kind.value}.title", number=number, shop=config.shop_name)
    if kind == PushKind.AVAILABLE_FOR_PICKUP:
        text = (
            t("push.available_for_pickup.at", place=place)
            if place
            else t("push.available_for_pickup")
        )
    elif kind == PushKind.DELIVERED:
        where = t("push.delivered.place", place=place) if place else ""
        text = t("push.delivered", carrier=carrier, place=where)
    elif kind == PushKind.EXCEPTION:
        why = t("push.exception.note", note=note) if note else ""
        text = t("push.exception", carrier=carrier, note=why)
    elif kind == PushKind.RETURNED_TO_SENDER:
        text = t("push.returned_to_sender", carrier=carrier, shop=config.shop_name)
    elif kind == PushKind.ETA_CHANGED:
        was = format_day(previous_eta, tz_name, config.timezone, locale) if previous_eta else None
        text = t("push.eta_changed", eta=eta, was=t("push.eta_changed.was", was=was) if was else "")
    else:  # shipped, out for delivery, failed attempt: the carrier is all they need
        text = t(f"push.{kind.value}", carrier=carrier)
    fields = []
    if shipment.tracking_number:
        fields.append(KeyValue(t("push.field.tracking_number"), shipment.tracking_number))
    if link:
        fields.append(KeyValue(t("push.field.tracking_link"), link))
    if eta and kind in (PushKind.SHIPPED, PushKind.EXCEPTION):
        fields.append(KeyValue(t("push.field.eta"), eta))
    buttons = [Button(t("button.track_order"), "track", number)]
    if kind == PushKind.DELIVERED:
        buttons.append(Button(t("button.return"), "return", number))
    if kind in (PushKind.EXCEPTION, PushKind.RETURNED_TO_SENDER, PushKind.FAILED_ATTEMPT,
                PushKind.DELIVERED):  # fmt: skip
        buttons.append(Button(t("button.human"), "human", number))
    buttons.append(Button(t("button.unfollow"), "unfollow", number))
    return Reply(
        sections=[Section(title=title, text=text, fields=fields)],
        buttons=buttons,
        intent=f"push_{kind.value}",
        order_number=number,
    )


async def notify_followers(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    order: Order,
    shipment: Shipment,
    kind: PushKind,
    *,
    occurred_at: datetime | None,
    previous_eta: datetime | None = None,
    note: str = "",
) -> int:
    """Enqueue `kind` for every follower of the order; returns how many pushes were written."""
    assert order.id is not None and shipment.id is not None
    identities = await followers(session, order.id)
    if not identities:
        return 0
    order_tz = await shopper_timezone(session, config, None, order.id)
    written = 0
    for identity in identities:
        assert identity.id is not None
        if kind not in MILESTONES and identity.channel in config.live_status_channels:
            continue  # their live status message shows the new date, without a sound
        tz_name = identity.timezone or order_tz
        if kind == PushKind.ETA_CHANGED:
            assert shipment.eta is not None
            key = f"push:{identity.id}:{shipment.id}:eta:{local_day(shipment.eta, tz_name)}"
        else:
            key = change_key(identity.id, shipment.id, kind, occurred_at)
        reply = push_reply(
            kind,
            order,
            shipment,
            tz_name=tz_name,
            config=config,
            previous_eta=previous_eta,
            note=note,
            locale=identity.locale,
        )
        pushed = await enqueue(
            session,
            clock,
            config,
            identity,
            reply,
            kind.value,
            key,
            urgent=kind in URGENT_KINDS,
            order_id=order.id,
            shipment_id=shipment.id,
            timezone=tz_name,
        )
        written += pushed is not None
    return written

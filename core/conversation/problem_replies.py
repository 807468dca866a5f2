"""What a shopper's problem report gets back, built from the order's real data.

Pure functions of an order view (no database): each returns an `Assessment` — the
paragraphs the shopper reads, the facts staff get on the flag, and whether the report
should reach staff at all (a "stuck" parcel that is already delivered does not).
Staff-facing facts are in English, like every staff card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from core.conversation import vocabulary as v
from core.replies.messages import (
    format_day,
    format_moment,
    order_status_label,
    shipment_status_label,
    text,
)
from core.replies.reply import Button
from core.tracking.estimate import delivery_estimate
from core.tracking.prediction import describe_window
from core.tracking.statuses import OrderStatus, ShipmentStatus
from core.tracking.views import EventView, OrderView, ShipmentView

_OWN_WORDS_ONLY = frozenset({ShipmentStatus.EXCEPTION, ShipmentStatus.EXPIRED})
_NOT_SHIPPED = frozenset({OrderStatus.PLACED, OrderStatus.PROCESSING})
_ON_THE_WAY = frozenset({OrderStatus.SHIPPED, OrderStatus.PARTIALLY_SHIPPED})
_NOT_HANDED_OVER = frozenset({ShipmentStatus.PENDING, ShipmentStatus.INFO_RECEIVED})
_WORD = re.compile(r"[^\W\d_]{3,}")
CARRIER_KINDS = frozenset({v.DELAYED, v.STUCK, v.DELIVERY_ATTEMPTED, v.RETURNED_TO_SENDER})
ITEM_KINDS = frozenset({v.DAMAGED, v.WRONG_ITEM, v.MISSING_ITEM})
CHANGE_KINDS = frozenset({v.CANCEL_ORDER, v.CHANGE_ADDRESS})


@dataclass
class Assessment:
    """The shopper's answer (paragraphs, buttons), staff's facts, and what happens next."""

    paragraphs: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    for_staff: bool = False  # raise (or escalate) a flag
    shipment_id: int | None = None
    case_opens_at: datetime | None = None  # staff are alerted only then (the shop's wait)
    wants_details: bool = False  # photos or the shopper's words may follow


@dataclass(frozen=True)
class Moment:
    """When and where the shopper is: what every wording of a time needs."""

    now: datetime
    tz: ZoneInfo
    locale: str | None


def _event_words(event: EventView, locale: str | None) -> str:
    words = shipment_status_label(event.status, locale)
    if event.text and event.status not in _OWN_WORDS_ONLY:
        words = f"{words} – {event.text}"
    return words


def latest_event(shipment: ShipmentView, at: Moment) -> str:
    """ "Latest from DHL (Tue 3 Dec, 14:05, Leipzig hub): In transit – Arrived at hub." """
    if not shipment.events:
        return text("problem.no_events", at.locale, carrier=shipment.carrier)
    event = shipment.events[0]
    values = {
        "carrier": shipment.carrier,
        "moment": format_moment(event.at, at.tz, at.locale),
        "event": _event_words(event, at.locale),
    }
    if event.location:
        return text("problem.latest_event.where", at.locale, location=event.location, **values)
    return text("problem.latest_event", at.locale, **values)


def expected(view: OrderView, shipment: ShipmentView | None, at: Moment) -> str:
    """The predicted day or window, in words; or that there is none right now."""
    estimate = delivery_estimate(view, shipment, now=at.now, tz=at.tz)
    parts = []
    if estimate.expected is not None:
        day = format_day(estimate.expected, at.tz, at.locale, now=at.now)
        parts.append(text("problem.expected", at.locale, day=day))
    if estimate.window is not None:
        parts.append(f"{describe_window(estimate.window, at.now, at.locale)}.")
    return " ".join(parts) or text("problem.no_window", at.locale)


def _delivered_parcels(view: OrderView) -> list[ShipmentView]:
    parcels = [s for s in view.shipments if s.is_delivered]
    return sorted(parcels, key=lambda s: s.delivered_at or s.last_event_at or view.placed_at)


def _delivered_at(view: OrderView, shipment: ShipmentView | None) -> datetime | None:
    if shipment is not None:
        return shipment.delivered_at or shipment.last_event_at or view.delivered_at
    return view.delivered_at


def _delivery_statement(view: OrderView, shipment: ShipmentView, at: Moment) -> tuple[str, str]:
    """(the shopper's sentence, staff's fact) about when and where a parcel was delivered."""
    when = _delivered_at(view, shipment)
    moment = format_moment(when, at.tz, at.locale) if when else "—"
    event = next((e for e in shipment.events if e.status == ShipmentStatus.DELIVERED), None)
    location = (event.location if event else None) or shipment.location
    values = {"carrier": shipment.carrier, "tracking": shipment.tracking_number, "moment": moment}
    if location:
        sentence = text("problem.dnr.delivered_where", at.locale, location=location, **values)
    else:
        sentence = text("problem.dnr.delivered", at.locale, **values)
    # Staff read English (and the shop's dates in it), whatever the shopper's language.
    staff_moment = format_moment(when, at.tz) if when else "—"
    fact = f"{shipment.carrier} {shipment.tracking_number}: delivered {staff_moment}"
    fact += f" at {location}" if location else ""
    if event is not None and event.text:
        fact += f"; carrier's note: {event.text}"
    return sentence, fact


def delivered_not_received(view: OrderView, at: Moment, wait: timedelta) -> Assessment:
    """When and where the carrier says it was delivered, what to check, and a case for staff
    — at once, or once `wait` has passed since delivery."""
    found = Assessment()
    parcels = _delivered_parcels(view)
    if not parcels and view.status != OrderStatus.DELIVERED:
        found.paragraphs.append(text("problem.dnr.not_yet", at.locale, number=view.number))
        on_the_way = _latest_parcel(view)
        if on_the_way is not None:
            found.paragraphs.append(latest_event(on_the_way, at))
        found.paragraphs.append(expected(view, on_the_way, at))
        return found
    shipment = parcels[-1] if parcels else None
    if shipment is not None:
        sentence, fact = _delivery_statement(view, shipment, at)
        found.paragraphs.append(sentence)
        found.facts.append(fact)
        found.shipment_id = shipment.id
        event = next((e for e in shipment.events if e.status == ShipmentStatus.DELIVERED), None)
        if event is not None and event.text:
            found.paragraphs.append(text("problem.dnr.proof", at.locale, proof=event.text))
    found.paragraphs.append(text("problem.dnr.checks", at.locale))
    delivered = _delivered_at(view, shipment)
    found.for_staff = True
    if delivered is not None and wait > timedelta(0) and at.now < delivered + wait:
        # The shop waits before a case opens: the flag is kept now, staff hear of it then.
        found.case_opens_at = delivered + wait
        until = format_moment(delivered + wait, at.tz, at.locale)
        found.paragraphs.append(text("problem.dnr.wait", at.locale, moment=until))
        found.facts.append(f"Shopper told to check first; the case opens {until}")
    return found


def _latest_parcel(view: OrderView) -> ShipmentView | None:
    """The parcel still on its way with the newest news (or the newest of all)."""
    moving = [s for s in view.shipments if not s.is_delivered] or list(view.shipments)
    if not moving:
        return None
    return max(moving, key=lambda s: s.last_event_at or s.handed_over or view.placed_at)


def carrier_problem(kind: str, view: OrderView, at: Moment, *, following: bool) -> Assessment:
    """Delayed, stuck, attempted or returned to sender: the carrier's latest event in plain
    words, the predicted window, and what the shopper can do."""
    found = Assessment()
    status = order_status_label(view.status, at.locale)
    if not view.shipments:
        found.paragraphs.append(
            text("problem.not_shipped", at.locale, number=view.number, status=status)
        )
        found.paragraphs.append(expected(view, None, at))
        late = view.promised_by is not None and view.promised_by < at.now
        if kind == v.DELAYED and late and view.status in _NOT_SHIPPED:
            found.for_staff = True
            found.facts.append(
                f"Not shipped yet ({view.status}); promised by {view.promised_by:%Y-%m-%d}"
            )
        return found
    shipment = _latest_parcel(view)
    assert shipment is not None
    if all(s.is_delivered for s in view.shipments):
        sentence, _ = _delivery_statement(view, shipment, at)
        found.paragraphs.append(sentence)
        return found
    found.shipment_id = shipment.id
    found.paragraphs.append(latest_event(shipment, at))
    found.paragraphs.append(expected(view, shipment, at))
    last = shipment.last_event_at or (shipment.events[0].at if shipment.events else None)
    since = format_moment(last, at.tz, at.locale) if last else "—"
    found.paragraphs.append(
        text(f"problem.{kind}.next", at.locale, carrier=shipment.carrier, moment=since)
    )
    if shipment.tracking_url:
        found.paragraphs.append(text("problem.carrier_page", at.locale, url=shipment.tracking_url))
    if not following and not view.is_finished:
        found.buttons.append(Button(text("button.follow", at.locale), "follow", view.number))
    found.for_staff = True
    found.facts.append(
        f"{shipment.carrier} {shipment.tracking_number}: {shipment.status}, last scan "
        + (format_moment(last, at.tz) if last else "—")
        + (f" at {shipment.location}" if shipment.location else "")
    )
    if shipment.events and shipment.events[0].text:
        found.facts.append(f"Latest carrier event: {shipment.events[0].text}")
    return found


def named_items(view: OrderView, message: str) -> list[str]:
    """The order's items the shopper's message names ("the socks are missing" -> Socks)."""
    said = {w.lower().rstrip("s") for w in _WORD.findall(message)}
    return [
        item.name
        for item in view.items
        if said & {w.lower().rstrip("s") for w in _WORD.findall(item.name)}
    ]


def item_problem(
    kind: str, view: OrderView, at: Moment, *, message: str, photos_here: bool
) -> Assessment:
    """Damaged, wrong or missing item: which items, photos welcome, and the way forward."""
    found = Assessment()
    if not view.any_delivered:
        found.paragraphs.append(text("problem.not_delivered_yet", at.locale, number=view.number))
        shipment = _latest_parcel(view)
        if shipment is not None:
            found.paragraphs.append(latest_event(shipment, at))
        return found
    items = ", ".join(f"{i.qty} × {i.name}" if i.qty > 1 else i.name for i in view.items)
    named = named_items(view, message)
    found.paragraphs.append(text(f"problem.{kind}.intro", at.locale, number=view.number))
    if items:
        found.paragraphs.append(text("problem.items", at.locale, number=view.number, items=items))
    if named:
        found.paragraphs.append(text("problem.items_named", at.locale, items=", ".join(named)))
    parcels = ""
    if kind == v.MISSING_ITEM:
        delivered = len(_delivered_parcels(view))
        parcels = (
            text("problem.missing_item.one_parcel", at.locale)
            if len(view.shipments) <= 1
            else text(
                "problem.missing_item.parcels",
                at.locale,
                count=len(view.shipments),
                delivered=delivered,
            )
        )
    found.paragraphs.append(text(f"problem.{kind}.next", at.locale, parcels=parcels))
    key = "problem.photos_telegram" if photos_here else "problem.photos_elsewhere"
    found.paragraphs.append(text(key, at.locale))
    if any(i.returnable for i in view.items):
        found.buttons.append(Button(text("button.return", at.locale), "return", view.number))
    found.buttons.append(Button(text("button.human", at.locale), "human", view.number))
    found.for_staff = found.wants_details = True
    found.facts.append(
        f"Items named by the shopper: {', '.join(named)}" if named else f"Items: {items}"
    )
    parcels_delivered = _delivered_parcels(view)
    if parcels_delivered:
        found.facts.append(_delivery_statement(view, parcels_delivered[-1], at)[1])
        found.shipment_id = parcels_delivered[-1].id
    return found


def order_change(kind: str, view: OrderView, at: Moment) -> Assessment:
    """Cancel or change the address: possible before shipment (then staff get a flag), not
    after; the order's status decides."""
    found = Assessment()
    status = order_status_label(view.status, at.locale)
    values = {"number": view.number, "status": status}
    what = "cancel" if kind == v.CANCEL_ORDER else "address"
    # A label may exist before the carrier has the parcel: that is still "not shipped".
    handed_over = any(s.status not in _NOT_HANDED_OVER for s in view.shipments)
    if view.status in _NOT_SHIPPED and not handed_over:
        found.paragraphs.append(text(f"problem.{what}.possible", at.locale, **values))
        found.for_staff = True
        found.wants_details = kind == v.CHANGE_ADDRESS
        found.facts.append(f"Order status {view.status}: nothing shipped yet")
        return found
    if kind == v.CANCEL_ORDER and view.status == OrderStatus.CANCELLED:
        found.paragraphs.append(text("problem.cancel.already", at.locale, **values))
    elif view.status in _ON_THE_WAY or (view.shipments and not view.is_finished):
        carrier = view.shipments[0].carrier if view.shipments else ""
        found.paragraphs.append(
            text(f"problem.{what}.shipped", at.locale, carrier=carrier, **values)
        )
        shipment = _latest_parcel(view)
        if kind == v.CHANGE_ADDRESS and shipment is not None and shipment.tracking_url:
            found.paragraphs.append(
                text("problem.carrier_page", at.locale, url=shipment.tracking_url)
            )
    elif kind == v.CANCEL_ORDER and view.status == OrderStatus.DELIVERED:
        found.paragraphs.append(text("problem.cancel.shipped", at.locale, **values))
        found.buttons.append(Button(text("button.return", at.locale), "return", view.number))
    else:
        found.paragraphs.append(text(f"problem.{what}.finished", at.locale, **values))
    return found

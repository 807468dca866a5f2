"""Orders as channel-neutral replies: one section per parcel, a readable timeline, buttons."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import quote
from zoneinfo import ZoneInfo

from core.replies.messages import (
    EN,
    format_day,
    format_moment,
    order_status_label,
    order_status_text,
    shipment_status_label,
    text,
)
from core.replies.reply import Button, KeyValue, Reply, Section, TimelineEntry
from core.tracking.estimate import DeliveryEstimate, delivery_estimate
from core.tracking.prediction import describe_window
from core.tracking.statuses import OrderStatus, ShipmentStatus

if TYPE_CHECKING:
    from core.tracking.views import OrderSummary, OrderView, ShipmentView

# Carrier free text is shown beside our own wording only where it cannot alarm: for these
# statuses our reassuring label stands alone.
_OWN_WORDS_ONLY = frozenset({ShipmentStatus.EXCEPTION, ShipmentStatus.EXPIRED})
# Order states that say more than any parcel status does.
_ORDER_STATUS_WINS = frozenset(
    {OrderStatus.CANCELLED, OrderStatus.RETURN_REQUESTED, OrderStatus.RETURNED}
)
_ITEMS_SHOWN = 3


def order_reply(
    view: OrderView,
    *,
    tz: ZoneInfo,
    now: datetime,
    locale: str | None = None,
    following: bool | None = None,
    intent: str = "track_order",
) -> Reply:
    """The answer to "where is my order?": status, parcels, ETA, tracking links, timeline.

    `following` adds a Follow / Stop updates button (None: no such button).
    """
    head = Section(title=text("order.title", locale, number=view.number))
    head.fields.append(KeyValue(text("field.status", locale), _status_label(view, locale)))
    if view.items:
        head.fields.append(KeyValue(text("field.items", locale), _items_line(view, locale)))
    sections = [head]
    count = len(view.shipments)
    if view.status in _ORDER_STATUS_WINS or count == 0:
        head.text = order_status_text(view.status, locale)
        if count == 0:
            if not view.is_finished:
                head.text = f"{head.text} {text('order.no_parcels', locale)}".strip()
                _add_eta(head, delivery_estimate(view, None, now=now, tz=tz), tz, now, locale)
    if count == 1 and view.status not in _ORDER_STATUS_WINS:
        _describe_shipment(head, view, view.shipments[0], tz, now, locale)
    elif count > 1:
        if view.status not in _ORDER_STATUS_WINS:
            head.text = text(
                "order.parcels", locale, count=count, summary=_parcel_summary(view, locale)
            )
        for index, shipment in enumerate(view.shipments, start=1):
            parcel = text("order.parcel_title", locale, index=index, count=count)
            section = Section(title=f"{parcel} · {shipment.carrier}")
            section.fields.append(
                KeyValue(
                    text("field.status", locale), shipment_status_label(shipment.status, locale)
                )
            )
            _describe_shipment(section, view, shipment, tz, now, locale)
            sections.append(section)
    return Reply(
        sections=sections,
        buttons=order_buttons(view, locale=locale, following=following),
        intent=intent,
        order_number=view.number,
    )


def order_buttons(view: OrderView, *, locale: str | None, following: bool | None) -> list[Button]:
    """What a shopper can do next with this order."""
    buttons = [Button(text("button.refresh", locale), "refresh", view.number)]
    if following is not None and not view.is_finished:
        if following:
            buttons.append(Button(text("button.unfollow", locale), "unfollow", view.number))
        else:
            buttons.append(Button(text("button.follow", locale), "follow", view.number))
    if view.any_delivered and view.status not in _ORDER_STATUS_WINS:
        buttons.append(Button(text("button.return", locale), "return", view.number))
    buttons.append(Button(text("button.human", locale), "human", view.number))
    return buttons


def details_button(public_url: str, number: str, locale: str | None) -> Button | None:
    """The Details button that opens the order's page inside Telegram (a Mini App), or None
    where wismo is not reached over https (Telegram opens only https pages)."""
    if not public_url.startswith("https://"):
        return None
    app = f"{public_url.rstrip('/')}/app?order={quote(number)}"
    return Button(text("button.details", locale), "details", number, web_app_url=app)


def orders_reply(
    orders: Sequence[OrderSummary],
    *,
    tz: ZoneInfo,
    now: datetime,
    locale: str | None = None,
    more: bool = False,
    intent: str = "list_orders",
    title_key: str = "orders.title",
) -> Reply:
    """A list of orders, newest first, each with a button to open it."""
    if not orders:
        return Reply.text(text("orders.none", locale), intent=intent)
    lines = [
        text(
            "orders.line",
            locale,
            number=o.number,
            status=headline_status(o, locale),
            placed=format_day(o.placed_at, tz, locale, now=now),
        )
        for o in orders
    ]
    if more:
        lines.append(text("orders.more", locale, shown=len(orders)))
    return Reply(
        sections=[Section(title=text(title_key, locale), text="\n".join(lines))],
        buttons=[
            Button(text("button.track", locale, number=o.number), "track", o.number) for o in orders
        ],
        intent=intent,
    )


def headline_status(order: OrderSummary, locale: str | None = None) -> str:
    """One label for an order in a list: its parcels' status when they all agree and say
    more than the order's own ("Out for delivery" rather than "Shipped")."""
    parcels = set(order.parcel_statuses)
    if (
        order.status in _ORDER_STATUS_WINS
        or order.status == OrderStatus.DELIVERED
        or len(parcels) != 1
    ):
        return order_status_label(order.status, locale)
    return shipment_status_label(parcels.pop(), locale)


def _status_label(view: OrderView, locale: str | None) -> str:
    if len(view.shipments) == 1 and view.status not in _ORDER_STATUS_WINS:
        return shipment_status_label(view.shipments[0].status, locale)
    return order_status_label(view.status, locale)


def _items_line(view: OrderView, locale: str | None) -> str:
    names = [f"{i.name} ×{i.qty}" if i.qty > 1 else i.name for i in view.items]
    if len(names) <= _ITEMS_SHOWN:
        return ", ".join(names)
    shown = ", ".join(names[:_ITEMS_SHOWN])
    return text("order.items_more", locale, items=shown, more=len(names) - _ITEMS_SHOWN)


def _parcel_summary(view: OrderView, locale: str | None) -> str:
    counts = Counter(s.status for s in view.shipments)
    order = [s.value for s in ShipmentStatus]
    return ", ".join(
        f"{n} {shipment_status_label(status, locale).lower()}"
        for status, n in sorted(
            counts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99
        )
    )


def _describe_shipment(
    section: Section,
    view: OrderView,
    shipment: ShipmentView,
    tz: ZoneInfo,
    now: datetime,
    locale: str | None,
) -> None:
    estimate = delivery_estimate(view, shipment, now=now, tz=tz)
    section.text = _sentence(estimate, tz, now, locale)
    fields = section.fields
    fields.append(KeyValue(text("field.carrier", locale), shipment.carrier))
    if shipment.tracking_number:
        fields.append(KeyValue(text("field.tracking_number", locale), shipment.tracking_number))
    if shipment.tracking_url:
        fields.append(KeyValue(text("field.tracking_link", locale), shipment.tracking_url))
    if shipment.location and not shipment.is_delivered:
        where = (
            "field.pickup"
            if shipment.status == ShipmentStatus.AVAILABLE_FOR_PICKUP
            else "field.location"
        )
        fields.append(KeyValue(text(where, locale), shipment.location))
    if shipment.is_delivered:
        when = shipment.delivered_at or shipment.last_event_at
        if when is not None:
            fields.append(
                KeyValue(text("field.delivered", locale), format_moment(when, tz, locale))
            )
    else:
        _add_eta(section, estimate, tz, now, locale)
    section.timeline.extend(_timeline(shipment, locale))


def _sentence(estimate: DeliveryEstimate, tz: ZoneInfo, now: datetime, locale: str | None) -> str:
    """The status sentence, with any day in it worded as the shopper reads it."""
    if estimate.sentence_key not in EN:  # a status without wording of its own
        return ""
    days = {
        name: text("date.on_day", locale, day=format_day(when, tz, locale, now=now))
        for name, when in estimate.sentence_values.items()
    }
    return text(estimate.sentence_key, locale, **days)


def _add_eta(
    section: Section, estimate: DeliveryEstimate, tz: ZoneInfo, now: datetime, locale: str | None
) -> None:
    if estimate.expected is not None:
        label = text("field.eta" if estimate.from_carrier else "field.eta_promised", locale)
        section.fields.append(KeyValue(label, format_day(estimate.expected, tz, locale, now=now)))
    if estimate.window is not None:
        usually = describe_window(estimate.window, now, locale)
        section.text = f"{section.text} {usually}.".strip()


def _timeline(shipment: ShipmentView, locale: str | None) -> list[TimelineEntry]:
    entries = []
    for event in shipment.events:
        words = shipment_status_label(event.status, locale)
        if event.text and event.status not in _OWN_WORDS_ONLY:
            words = f"{words} – {event.text}"
        entries.append(TimelineEntry(at=event.at, text=words, location=event.location))
    return entries

"""What the returns lifecycle says: the shopper's notices and the staff card.

The staff card itself is `core.staff_cards.return_card` (the SLACK owner's module).
"""

from __future__ import annotations

from core.config import CoreConfig
from core.models import Order, ReturnRequest
from core.replies import KeyValue, Reply, Section
from core.return_policy import DECLINE_REASONS

STATE_LABELS = {
    "requested": "Waiting for a decision",
    "approved": "Approved — waiting for the parcel",
    "declined": "Declined",
    "received": "Parcel received — refund pending",
    "refunded": "Refunded",
    "cancelled": "Cancelled by the shopper",
}


def instructions(config: CoreConfig, rma: str) -> str:
    """How to send the parcel back: the label link, else the shop's address, else a promise."""
    if config.return_label_url_template:
        url = config.return_label_url_template.replace("{rma}", rma)
        return f"Print your return label here: {url} — and write {rma} on the parcel."
    if config.return_address:
        return f"Write {rma} on the parcel and send it to: {config.return_address}"
    return f"Write {rma} on the parcel; we will send you the return address shortly."


def _items_text(lines: list[tuple[str, int]]) -> str:
    return "\n".join(f"{qty} × {name}" if qty > 1 else name for name, qty in lines)


def shopper_notice(
    config: CoreConfig, request: ReturnRequest, order: Order, lines: list[tuple[str, int]]
) -> Reply:
    """The push telling the shopper where their return stands after a staff step."""
    number = order.number
    sections: list[Section]
    if request.state == "approved":
        rma = request.rma_code or ""
        sections = [
            Section(
                title=f"Return approved — order {number}",
                text=f"Good news: your return is approved. Your return code is {rma}.",
                fields=[KeyValue("Items", _items_text(lines))],
            ),
            Section(text=instructions(config, rma)),
        ]
    elif request.state == "declined":
        why = DECLINE_REASONS.get(request.decline_reason or "other", "")
        text = (
            f"Sorry, we can't accept this return. {why}."
            if why != "Other"
            else ("Sorry, we can't accept this return.")
        )
        sections = [Section(title=f"Return declined — order {number}", text=text)]
        if request.decline_note:
            sections.append(Section(text=f"A note from our team: {request.decline_note}"))
    elif request.state == "received":
        sections = [
            Section(
                title=f"Return received — order {number}",
                text="Your parcel is back with us. We will refund you shortly.",
            )
        ]
    elif request.state == "refunded":
        sections = [
            Section(
                title=f"Refund sent — order {number}",
                text="Your refund is on its way. It can take a few days to show on your account.",
            )
        ]
    else:
        sections = [Section(text=f"Your return for order {number}: {STATE_LABELS[request.state]}.")]
    return Reply(sections=sections, intent="return_update", order_number=number)

"""What the returns lifecycle says: the shopper's notices and the staff card.

The staff card itself is `core.staff.cards.return_card` (the SLACK owner's module). The
shopper's words come from the message catalogue (`return_state.*`, `return_notice.*`).
"""

from __future__ import annotations

from core.replies.messages import text
from core.replies.reply import KeyValue, Reply, Section
from core.returns.policy import decline_reason_label
from core.runtime.config import CoreConfig
from core.storage.models import Order, ReturnRequest


def instructions(config: CoreConfig, rma: str, locale: str | None = None) -> str:
    """How to send the parcel back: the label link, else the shop's address, else a promise."""
    if config.return_label_url_template:
        url = config.return_label_url_template.replace("{rma}", rma)
        return text("return_notice.label", locale, url=url, rma=rma)
    if config.return_address:
        return text("return_notice.address", locale, rma=rma, address=config.return_address)
    return text("return_notice.address_later", locale, rma=rma)


def _items_text(lines: list[tuple[str, int]]) -> str:
    return "\n".join(f"{qty} × {name}" if qty > 1 else name for name, qty in lines)


def shopper_notice(
    config: CoreConfig,
    request: ReturnRequest,
    order: Order,
    lines: list[tuple[str, int]],
    locale: str | None = None,
) -> Reply:
    """The push telling the shopper where their return stands after a staff step."""
    number = order.number
    sections: list[Section]
    if request.state == "approved":
        rma = request.rma_code or ""
        sections = [
            Section(
                title=text("return_notice.approved.title", locale, number=number),
                text=text("return_notice.approved", locale, rma=rma),
                fields=[KeyValue(text("return_notice.field.items", locale), _items_text(lines))],
            ),
            Section(text=instructions(config, rma, locale)),
        ]
    elif request.state == "declined":
        code = request.decline_reason or "other"
        why = decline_reason_label(code, locale)
        message = (
            text("return_notice.declined_why", locale, why=why)
            if why and code != "other"
            else text("return_notice.declined", locale)
        )
        sections = [
            Section(title=text("return_notice.declined.title", locale, number=number), text=message)
        ]
        if request.decline_note:
            note = text("return_notice.decline_note", locale, note=request.decline_note)
            sections.append(Section(text=note))
    elif request.state == "received":
        sections = [
            Section(
                title=text("return_notice.received.title", locale, number=number),
                text=text("return_notice.received", locale),
            )
        ]
    elif request.state == "refunded":
        sections = [
            Section(
                title=text("return_notice.refunded.title", locale, number=number),
                text=text("return_notice.refunded", locale),
            )
        ]
    else:
        state = text(f"return_state.{request.state}", locale)
        sections = [Section(text=text("return_notice.state", locale, number=number, state=state))]
    return Reply(sections=sections, intent="return_update", order_number=number)

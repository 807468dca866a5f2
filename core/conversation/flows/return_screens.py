"""The replies of the return conversation, one function per screen."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from core.replies import messages
from core.replies.reply import Button, KeyValue, Reply, Section
from core.returns.policy import REASONS, OrderEligibility, reason_label
from core.runtime.config import CoreConfig
from core.storage.models import Order, ReturnRequest

INTENT = "start_return"
CHECK = "✓ "


def day(when: datetime, tz: ZoneInfo, locale: str | None = None) -> str:
    """A calendar day as a shopper reads it, in their zone: "Tue 1 Dec"."""
    return messages.format_day(when, tz, locale)


def _cancel(locale: str | None) -> Button:
    return Button(messages.text("return.button.cancel", locale), "ret_cancel", "")


def text(
    message: str, *, locale: str | None, number: str | None = None, human: bool = False
) -> Reply:
    """One paragraph, optionally with the "Talk to a person" button."""
    buttons = (
        [Button(messages.text("return.button.human", locale), "human", number or "")]
        if human
        else []
    )
    return Reply(
        sections=[Section(text=message)], buttons=buttons, intent=INTENT, order_number=number
    )


def order_picker(orders: list[Order], *, locale: str | None) -> Reply:
    """Which of several orders the return is about."""
    buttons = [
        Button(messages.text("return.button.order", locale, number=o.number), "ret_order", o.number)
        for o in orders
    ]
    return Reply(
        sections=[Section(text=messages.text("return.pick_order", locale))],
        buttons=[*buttons, _cancel(locale)],
        intent=INTENT,
    )


def refusal(
    policy: OrderEligibility, config: CoreConfig, tz: ZoneInfo, *, locale: str | None
) -> Reply:
    """Why nothing in this order can be returned, in plain words."""
    order = policy.order
    days = config.return_window.days
    if policy.refusal == "not_delivered":
        key = "cancelled_order" if order.status == "cancelled" else "not_delivered"
        message = messages.text(f"return.{key}", locale, number=order.number, days=days)
        return text(message, locale=locale, number=order.number)
    if policy.refusal == "window_closed":
        assert policy.delivered_at is not None and policy.deadline is not None
        message = messages.text(
            "return.window_closed",
            locale,
            number=order.number,
            delivered=day(policy.delivered_at, tz, locale),
            days=days,
            deadline=day(policy.deadline, tz, locale),
        )
        return text(message, locale=locale, number=order.number, human=True)
    lines = [
        messages.text(f"return.item.{e.refusal}", locale, name=e.item.name)
        for e in policy.items
        if e.refusal
    ]
    message = (
        messages.text("return.nothing_returnable", locale, number=order.number)
        + "\n"
        + "\n".join(lines)
    )
    return text(message, locale=locale, number=order.number, human=True)


def quantity_choices(available: int) -> list[int]:
    """1..5 and "all of them": a keyboard stays small however many were bought."""
    return sorted(set(range(1, min(available, 5) + 1)) | {available})


def item_picker(
    policy: OrderEligibility,
    chosen: dict[int, int],
    tz: ZoneInfo,
    note: str | None = None,
    *,
    locale: str | None,
) -> Reply:
    """Toggle buttons for the returnable items, quantity buttons for chosen multiples."""
    order = policy.order
    assert policy.deadline is not None
    sections = [
        Section(
            title=messages.text("return.pick_items.title", locale, number=order.number),
            text=messages.text(
                "return.pick_items", locale, deadline=day(policy.deadline, tz, locale)
            ),
        )
    ]
    excluded = [
        messages.text(f"return.item.{e.refusal}", locale, name=e.item.name)
        for e in policy.items
        if e.refusal
    ]
    if excluded:
        sections.append(Section(text="\n".join(excluded)))
    if note:
        sections.append(Section(text=note))
    buttons: list[Button] = []
    for entry in policy.returnable:
        item_id = entry.item.id
        assert item_id is not None
        qty = chosen.get(item_id, 0)
        label = entry.item.name if not qty else CHECK + entry.item.name
        buttons.append(Button(label, "ret_item", str(item_id)))
        if qty and entry.available > 1:
            for n in quantity_choices(entry.available):
                mark = CHECK if n == qty else ""
                buttons.append(
                    Button(f"{mark}{n} × {entry.item.name}", "ret_qty", f"{item_id}:{n}")
                )
    buttons += [
        Button(messages.text("return.button.continue", locale), "ret_next", ""),
        _cancel(locale),
    ]
    return Reply(sections=sections, buttons=buttons, intent=INTENT, order_number=order.number)


def reason_picker(number: str, item_count: int, *, locale: str | None) -> Reply:
    """The fixed list of reasons."""
    buttons = [Button(reason_label(code, locale), "ret_reason", code) for code in REASONS]
    return Reply(
        sections=[
            Section(
                text=messages.text(
                    f"return.pick_reason.{'one' if item_count == 1 else 'many'}", locale
                )
            )
        ],
        buttons=[*buttons, _cancel(locale)],
        intent=INTENT,
        order_number=number,
    )


def comment_prompt(number: str, note: str | None = None, *, locale: str | None) -> Reply:
    """Ask for an optional comment."""
    sections = [Section(text=note)] if note else []
    sections.append(Section(text=messages.text("return.ask_comment", locale)))
    return Reply(
        sections=sections,
        buttons=[
            Button(messages.text("return.button.skip", locale), "ret_skip", ""),
            _cancel(locale),
        ],
        intent=INTENT,
        order_number=number,
    )


def items_text(lines: list[tuple[str, int]]) -> str:
    """ "2 × Socks" per line, the name alone for one."""
    return "\n".join(f"{qty} × {name}" if qty > 1 else name for name, qty in lines)


def confirmation(
    number: str, lines: list[tuple[str, int]], reason: str, comment: str, *, locale: str | None
) -> Reply:
    """The summary the shopper confirms."""
    fields = [
        KeyValue(messages.text("return.field.order", locale), number),
        KeyValue(messages.text("return.field.items", locale), items_text(lines)),
        KeyValue(messages.text("return.field.reason", locale), reason_label(reason, locale)),
    ]
    if comment:
        fields.append(KeyValue(messages.text("return.field.comment", locale), comment))
    return Reply(
        sections=[
            Section(
                title=messages.text("return.confirm.title", locale),
                text=messages.text("return.confirm", locale),
                fields=fields,
            )
        ],
        buttons=[
            Button(messages.text("return.button.send", locale), "ret_confirm", ""),
            _cancel(locale),
        ],
        intent=INTENT,
        order_number=number,
    )


def sent(request: ReturnRequest, number: str, *, locale: str | None) -> Reply:
    """The request is in; the shopper may still withdraw it before a decision."""
    return Reply(
        sections=[Section(text=messages.text("return.sent", locale, number=number))],
        buttons=[
            Button(messages.text("return.button.withdraw", locale), "ret_withdraw", str(request.id))
        ],
        intent=INTENT,
        order_number=number,
    )

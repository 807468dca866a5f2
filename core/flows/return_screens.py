"""The replies of the return conversation, one function per screen."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from core.config import CoreConfig
from core.flows.return_texts import say
from core.models import Order, ReturnRequest
from core.replies import Button, KeyValue, Reply, Section
from core.return_policy import REASONS, OrderEligibility

INTENT = "start_return"
CHECK = "✓ "


def day(when: datetime, tz: ZoneInfo) -> str:
    """A calendar day as a shopper reads it, in their zone: "Tue 1 Dec"."""
    local = when.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b}"


def _cancel() -> Button:
    return Button(say("button.cancel"), "ret_cancel", "")


def text(message: str, *, number: str | None = None, human: bool = False) -> Reply:
    """One paragraph, optionally with the "Talk to a person" button."""
    buttons = [Button(say("button.human"), "human", number or "")] if human else []
    return Reply(
        sections=[Section(text=message)], buttons=buttons, intent=INTENT, order_number=number
    )


def order_picker(orders: list[Order]) -> Reply:
    """Which of several orders the return is about."""
    buttons = [Button(say("button.order", number=o.number), "ret_order", o.number) for o in orders]
    return Reply(
        sections=[Section(text=say("pick_order"))], buttons=[*buttons, _cancel()], intent=INTENT
    )


def refusal(policy: OrderEligibility, config: CoreConfig, tz: ZoneInfo) -> Reply:
    """Why nothing in this order can be returned, in plain words."""
    order = policy.order
    days = config.return_window.days
    if policy.refusal == "not_delivered":
        key = "cancelled_order" if order.status == "cancelled" else "not_delivered"
        return text(say(key, number=order.number, days=days), number=order.number)
    if policy.refusal == "window_closed":
        assert policy.delivered_at is not None and policy.deadline is not None
        message = say(
            "window_closed",
            number=order.number,
            delivered=day(policy.delivered_at, tz),
            days=days,
            deadline=day(policy.deadline, tz),
        )
        return text(message, number=order.number, human=True)
    lines = [say(f"item.{e.refusal}", name=e.item.name) for e in policy.items if e.refusal]
    message = say("nothing_returnable", number=order.number) + "\n" + "\n".join(lines)
    return text(message, number=order.number, human=True)


def quantity_choices(available: int) -> list[int]:
    """1..5 and "all of them": a keyboard stays small however many were bought."""
    return sorted(set(range(1, min(available, 5) + 1)) | {available})


def item_picker(
    policy: OrderEligibility, chosen: dict[int, int], tz: ZoneInfo, note: str | None = None
) -> Reply:
    """Toggle buttons for the returnable items, quantity buttons for chosen multiples."""
    order = policy.order
    assert policy.deadline is not None
    sections = [
        Section(
            title=say("pick_items.title", number=order.number),
            text=say("pick_items", deadline=day(policy.deadline, tz)),
        )
    ]
    excluded = [say(f"item.{e.refusal}", name=e.item.name) for e in policy.items if e.refusal]
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
    buttons += [Button(say("button.continue"), "ret_next", ""), _cancel()]
    return Reply(sections=sections, buttons=buttons, intent=INTENT, order_number=order.number)


def reason_picker(number: str, item_count: int) -> Reply:
    """The fixed list of reasons."""
    buttons = [Button(label, "ret_reason", code) for code, label in REASONS.items()]
    return Reply(
        sections=[Section(text=say("pick_reason", them="it" if item_count == 1 else "them"))],
        buttons=[*buttons, _cancel()],
        intent=INTENT,
        order_number=number,
    )


def comment_prompt(number: str, note: str | None = None) -> Reply:
    """Ask for an optional comment."""
    sections = [Section(text=note)] if note else []
    sections.append(Section(text=say("ask_comment")))
    return Reply(
        sections=sections,
        buttons=[Button(say("button.skip"), "ret_skip", ""), _cancel()],
        intent=INTENT,
        order_number=number,
    )


def items_text(lines: list[tuple[str, int]]) -> str:
    """ "2 × Socks" per line, the name alone for one."""
    return "\n".join(f"{qty} × {name}" if qty > 1 else name for name, qty in lines)


def confirmation(number: str, lines: list[tuple[str, int]], reason: str, comment: str) -> Reply:
    """The summary the shopper confirms."""
    fields = [
        KeyValue(say("field.order"), number),
        KeyValue(say("field.items"), items_text(lines)),
        KeyValue(say("field.reason"), REASONS[reason]),
    ]
    if comment:
        fields.append(KeyValue(say("field.comment"), comment))
    return Reply(
        sections=[Section(title=say("confirm.title"), text=say("confirm"), fields=fields)],
        buttons=[Button(say("button.send"), "ret_confirm", ""), _cancel()],
        intent=INTENT,
        order_number=number,
    )


def sent(request: ReturnRequest, number: str) -> Reply:
    """The request is in; the shopper may still withdraw it before a decision."""
    return Reply(
        sections=[Section(text=say("sent", number=number))],
        buttons=[Button(say("button.withdraw"), "ret_withdraw", str(request.id))],
        intent=INTENT,
        order_number=number,
    )

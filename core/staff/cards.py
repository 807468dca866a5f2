"""Cards staff see in Slack for one flag or one return request, as channel-neutral Replies.

Button actions used on staff cards (adapters map them to their own widgets):
`staff_order` (order number) shows the order card, `flag_open` (order number) starts
"Flag issue", `flag_resolve` (flag id), `return_approve` / `return_decline` /
`return_received` / `return_refunded` (return request id).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any

from core.replies.reply import Button, KeyValue, Reply, Section
from core.storage.models import Flag, Order, ReturnRequest, Shipment

FLAG_KIND_LABELS: dict[str, str] = {
    # Raised by staff from Slack.
    "delayed": "Delayed",
    "damaged": "Damaged",
    "lost": "Lost",
    "wrong_item": "Wrong item",
    "address_problem": "Address problem",
    "other": "Other",
    # Raised by exception detection.
    "late": "Late (past promised date)",
    "stuck": "Stuck (no scan for a long time)",
    "failed_attempt": "Failed delivery attempt",
    "exception": "Carrier exception",
    "expired": "Tracking expired",
    "invalid_tracking": "Invalid tracking number",
    # Raised by a shopper's report in the chat (core.conversation.problems).
    "delivered_not_received": "Delivered, not received",
    "missing_item": "Item missing",
    "delivery_attempted": "Delivery attempted",
    "returned_to_sender": "Returned to sender",
    "refund_status": "Refund status asked",
    "cancel_order": "Cancellation request",
    "change_address": "Address change request",
}
STAFF_FLAG_KINDS: tuple[str, ...] = (
    "delayed",
    "damaged",
    "lost",
    "wrong_item",
    "address_problem",
    "other",
)

RETURN_STATE_LABELS: dict[str, str] = {
    "requested": "Requested — waiting for a decision",
    "approved": "Approved",
    "declined": "Declined",
    "received": "Received",
    "refunded": "Refunded",
    "cancelled": "Cancelled",
}
DECLINE_REASON_LABELS: dict[str, str] = {
    "final_sale": "Final sale",
    "return_period_ended": "Return period ended",
    "other": "Other",
}


def flag_label(kind: str) -> str:
    """How staff read a flag kind."""
    return FLAG_KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def when(at: datetime | None, tz: tzinfo = UTC) -> str:
    """A staff-facing timestamp in the shop's zone, to the minute, with the zone's name."""
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z") if at else "—"


def actor_label(actor: str | None, names: Mapping[str, str] | None = None) -> str:
    """A readable name for an actor id: "slack:U123" -> "@jane" (from `names`) or "@U123"."""
    if not actor:
        return "wismo"
    if names and actor in names:
        return f"@{names[actor]}"
    channel, _, who = actor.partition(":")
    if channel == "slack" and who:
        return f"@{who}"
    return who or channel


def flag_line(flag: Flag, names: Mapping[str, str] | None = None, tz: tzinfo = UTC) -> str:
    """One line describing a flag for a list on a card (times in `tz`)."""
    line = f"#{flag.id} {flag_label(flag.kind)} — raised {when(flag.created_at, tz)}"
    line += f" by {actor_label(flag.raised_by, names)}" if flag.raised_by else f" ({flag.source})"
    if flag.state == "resolved":
        resolved_at = when(flag.resolved_at, tz)
        line += f"; resolved by {actor_label(flag.resolved_by, names)} at {resolved_at}"
    if flag.note:
        line += f"\nNote: {flag.note}"
    if flag.resolution_note:
        line += f"\nResolution: {flag.resolution_note}"
    return line


def evidence_sections(evidence: Mapping[str, Any] | None) -> list[Section]:
    """A shopper's report as card sections: the facts, their words, photo references, reports."""
    if not evidence:
        return []
    sections = []
    facts = [str(f) for f in evidence.get("facts", [])]
    if facts:
        sections.append(Section(title="Evidence", text="\n".join(f"• {f}" for f in facts)))
    details = [str(d) for d in evidence.get("details", [])]
    if details:
        sections.append(Section(title="Shopper's words", text="\n".join(details)))
    photos = [str(p) for p in evidence.get("photos", [])]
    if photos:
        lines = "\n".join(f"{n}. {ref}" for n, ref in enumerate(photos, start=1))
        sections.append(Section(title=f"Photos from the shopper ({len(photos)})", text=lines))
    reports = [str(r) for r in evidence.get("reports", [])]
    if len(reports) > 1:
        sections.append(Section(title="Reported", text=", ".join(reports)))
    return sections


def flag_card(
    order: Order,
    flag: Flag,
    shipment: Shipment | None = None,
    names: Mapping[str, str] | None = None,
    tz: tzinfo = UTC,
) -> Reply:
    """The alert staff see when a flag is raised, or its state after resolving (times in `tz`)."""
    state = "Open" if flag.state == "open" else "Resolved"
    fields = [
        KeyValue("Order", order.number),
        KeyValue("Order status", order.status.replace("_", " ")),
        KeyValue("Flag", f"{flag_label(flag.kind)} ({state})"),
        KeyValue("Raised", f"{when(flag.created_at, tz)} by {actor_label(flag.raised_by, names)}"),
        KeyValue("Shopper notified", "yes" if flag.notify_shopper else "no"),
    ]
    if shipment is not None:
        fields.append(
            KeyValue(
                "Shipment", f"{shipment.carrier} {shipment.tracking_number} ({shipment.status})"
            )
        )
    if flag.state == "resolved":
        fields.append(
            KeyValue(
                "Resolved",
                f"{when(flag.resolved_at, tz)} by {actor_label(flag.resolved_by, names)}",
            )
        )
    sections = [
        Section(
            title=f"Flag #{flag.id} on order {order.number}: {flag_label(flag.kind)}", fields=fields
        )
    ]
    if flag.escalations:
        fields.append(KeyValue("Escalated", f"{flag.escalations}× — the shopper reported it again"))
    if flag.note:
        sections.append(Section(title="Note", text=flag.note))
    sections.extend(evidence_sections(flag.evidence))
    if flag.resolution_note:
        sections.append(Section(title="Resolution", text=flag.resolution_note))
    buttons = [Button("Show order", "staff_order", order.number)]
    if flag.state == "open":
        buttons.insert(0, Button("Resolve", "flag_resolve", str(flag.id)))
        buttons.append(Button("Flag issue", "flag_open", order.number))
    return Reply(sections=sections, buttons=buttons, intent="staff_flag", order_number=order.number)


def return_decision_line(
    request: ReturnRequest, names: Mapping[str, str] | None = None, tz: tzinfo = UTC
) -> str | None:
    """ "Approved by @U1 at 14:02 CET" once decided (time in `tz`); None while waiting."""
    if request.decided_at is None or request.state in ("requested", "cancelled"):
        return None
    verb = "Declined" if request.state == "declined" else "Approved"
    at = request.decided_at.astimezone(tz)
    return f"{verb} by {actor_label(request.decided_by, names)} at {at:%H:%M %Z}"


def return_buttons(request: ReturnRequest) -> list[Button]:
    """What an agent can do next with a return request."""
    rid = str(request.id)
    if request.state == "requested":
        return [Button("Approve", "return_approve", rid), Button("Decline", "return_decline", rid)]
    if request.state == "approved":
        return [Button("Mark received", "return_received", rid)]
    if request.state == "received":
        return [Button("Mark refunded", "return_refunded", rid)]
    return []


def return_card(
    order: Order,
    request: ReturnRequest,
    items: list[tuple[str, int]],
    names: Mapping[str, str] | None = None,
    tz: tzinfo = UTC,
) -> Reply:
    """The card staff decide a return on; `items` are (product name, quantity).

    `names` maps actor ids ("slack:U123") to display names for the decision line; times
    are shown in `tz`.
    """
    fields = [
        KeyValue("Order", order.number),
        KeyValue("State", RETURN_STATE_LABELS.get(request.state, request.state)),
        KeyValue("Reason", request.reason.replace("_", " ").lower()),
        KeyValue("Requested", when(request.created_at, tz)),
    ]
    if request.rma_code:
        fields.append(KeyValue("RMA", request.rma_code))
    if request.state == "declined" and request.decline_reason:
        fields.append(
            KeyValue(
                "Decline reason",
                DECLINE_REASON_LABELS.get(request.decline_reason, request.decline_reason),
            )
        )
    if request.received_at:
        fields.append(KeyValue("Received", when(request.received_at, tz)))
    if request.refunded_at:
        fields.append(KeyValue("Refunded", when(request.refunded_at, tz)))
    sections = [
        Section(title=f"Return #{request.id} for order {order.number}", fields=fields),
        Section(
            title="Items",
            text="\n".join(f"{qty} × {name}" for name, qty in items) or "(whole order)",
        ),
    ]
    if request.comment:
        sections.append(Section(title="Shopper's comment", text=request.comment))
    if request.decline_note:
        sections.append(Section(title="Note to the shopper", text=request.decline_note))
    decision = return_decision_line(request, names, tz)
    if decision:
        sections.append(Section(text=decision))
    buttons = [*return_buttons(request), Button("Show order", "staff_order", order.number)]
    return Reply(
        sections=sections, buttons=buttons, intent="staff_return", order_number=order.number
    )

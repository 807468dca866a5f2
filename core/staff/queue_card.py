"""The support queue as a channel-neutral Reply, for channels without a Home tab of their own
(the staff side of `wismo demo`): the same parts as the Slack Home tab, the same actions.

Buttons, in the order their items are listed: `flag_assign` / `flag_resolve` (flag id),
`return_approve` / `return_decline` (return id), `handoff_take` / `handoff_back` (thread
id), and `staff_queue` to show the queue again.
"""

from __future__ import annotations

from datetime import tzinfo

from core.replies.reply import Button, KeyValue, Reply, Section
from core.staff.cards import actor_label
from core.staff.queue import QueuedFlag, QueuedHandoff, QueuedReturn, StaffQueue, age_words
from core.staff.today import TodayFigures


def _owner(actor: str | None, me: str) -> str:
    if not actor:
        return "unassigned"
    return "assigned to you" if actor == me else f"assigned to {actor_label(actor)}"


def flag_line(flag: QueuedFlag, me: str) -> str:
    """One flag of the queue in words."""
    carrier = f" · {flag.carrier}" if flag.carrier else ""
    line = (
        f"Flag #{flag.id} · {flag.label} — order {flag.order_number}{carrier} · "
        f"raised {age_words(flag.age)} ago · {_owner(flag.assigned_to, me)}"
    )
    return line + (f"\n   “{flag.note}”" if flag.note else "")


def return_line(request: QueuedReturn) -> str:
    """One return request waiting for a decision, in words."""
    items = f"{request.items} item" + ("" if request.items == 1 else "s")
    reason = request.reason.replace("_", " ")
    return (
        f"Return #{request.id} — order {request.order_number} · {items} · reason: {reason} · "
        f"asked {age_words(request.age)} ago"
    )


def handoff_line(thread: QueuedHandoff, me: str) -> str:
    """One hand-off in words: waiting, or with whom."""
    order = f"order {thread.order_number}" if thread.order_number else "no order named"
    if thread.state == "waiting":
        status = f"waiting {age_words(thread.age)}"
    elif thread.agent_id == me:
        status = "with you"
    else:
        status = f"with {thread.agent_name or actor_label(thread.agent_id)}"
    return f"Hand-off #{thread.id} — {order} · {status}"


def today_fields(today: TodayFigures) -> list[KeyValue]:
    """Today's figures as label/value pairs."""
    if today.on_time_rate is None:
        on_time = "— (no promised parcel delivered yet)"
    else:
        on_time = f"{today.on_time_rate:.0%} ({today.on_time} of {today.with_promise} promised)"
    questions = (
        f"{today.wismo_questions} — {today.answered_by_bot} by the bot, "
        f"{today.answered_by_staff} by staff"
    )
    return [
        KeyValue("Open cases", str(today.open_cases)),
        KeyValue("On time today", on_time),
        KeyValue("Delivered today", str(today.delivered)),
        KeyValue("WISMO questions today", questions),
    ]


def _flag_buttons(flag: QueuedFlag, me: str) -> list[Button]:
    buttons = [] if flag.assigned_to == me else [Button(f"Assign #{flag.id}", "flag_assign")]
    buttons.append(Button(f"Resolve #{flag.id}", "flag_resolve"))
    return [Button(b.label, b.action, str(flag.id)) for b in buttons]


def _handoff_buttons(thread: QueuedHandoff, me: str) -> list[Button]:
    if thread.state == "waiting":
        return [Button(f"Take over #{thread.id}", "handoff_take", str(thread.id))]
    if thread.agent_id == me:
        return [Button(f"Hand back #{thread.id}", "handoff_back", str(thread.id))]
    return []


def queue_reply(queue: StaffQueue, tz: tzinfo) -> Reply:
    """The whole queue of `queue.staff_id`, each item's buttons in the order listed."""
    me = queue.staff_id
    buttons: list[Button] = []
    mine: list[str] = []
    for flag in queue.my_flags:
        mine.append(flag_line(flag, me))
        buttons += _flag_buttons(flag, me)
    for thread in queue.my_handoffs:
        mine.append(handoff_line(thread, me))
        buttons += _handoff_buttons(thread, me)
    flags: list[str] = []
    for group in queue.flag_groups:
        if not group.total:
            continue
        flags.append(f"{group.heading} · {group.total} open")
        for flag in group.flags:
            flags.append("  " + flag_line(flag, me))
            if flag.assigned_to != me:  # its buttons are already under "Assigned to me"
                buttons += _flag_buttons(flag, me)
        if group.total > len(group.flags):
            flags.append(f"  …and {group.total - len(group.flags)} more, oldest first.")
    returns = [return_line(r) for r in queue.returns]
    for request in queue.returns:
        buttons += [
            Button(f"Approve return #{request.id}", "return_approve", str(request.id)),
            Button(f"Decline return #{request.id}", "return_decline", str(request.id)),
        ]
    if queue.returns_total > len(queue.returns):
        returns.append(f"…and {queue.returns_total - len(queue.returns)} more, oldest first.")
    handoffs = [handoff_line(h, me) for h in queue.handoffs]
    for thread in queue.handoffs:
        buttons += _handoff_buttons(thread, me)
    updated = queue.as_of.astimezone(tz).strftime("%H:%M %Z")
    sections = [
        Section(
            title="Support queue",
            text=f"{queue.today.open_cases} open cases · updated {updated}",
            fields=today_fields(queue.today),
        ),
        Section(title="Assigned to me", text="\n".join(mine) or "Nothing assigned to you yet."),
        Section(
            title=f"Open flags · {queue.open_flags_total}",
            text="\n".join(flags) or "No open flags.",
        ),
        Section(
            title=f"Returns waiting for a decision · {queue.returns_total}",
            text="\n".join(returns) or "No return waits for a decision.",
        ),
        Section(
            title=f"Hand-offs waiting for a person · {queue.handoffs_total}",
            text="\n".join(handoffs) or "No shopper is waiting for a person.",
        ),
    ]
    buttons.append(Button("Refresh", "staff_queue"))
    return Reply(sections=sections, buttons=buttons, intent="staff_queue")

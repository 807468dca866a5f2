"""The staff Home tab as Block Kit: the queue (core.staff.StaffQueue) rendered for one person.

Every item carries the same buttons as its card in a channel (same action ids and values),
so the desk's listeners act on it; its actions block's id is the card reference
("flag:7", "return:5", "handoff:3", plus "~mine" in the "Assigned to me" part, because
block ids must be unique within a view). Text from shoppers, carriers and the shop is
escaped for mrkdwn; a Home view holds at most 100 blocks, so lists are cut with a count.
"""

from __future__ import annotations

import re
from datetime import tzinfo
from typing import Any

from adapters.slack.blocks import button_element, clip, escape
from core.replies import Button
from core.staff import QueuedFlag, QueuedHandoff, QueuedReturn, StaffQueue, TodayFigures, age_words

HOME_VIEW = "wismo_home"
MAX_HOME_BLOCKS = 100
MINE_SHOWN = 5
_SLACK_USER = re.compile(r"^slack:([A-Z0-9]{2,32})$")

NOT_STAFF_TEXT = (
    "wismo's Home tab shows the support team their queue: late, stuck and failed parcels, "
    "return requests and shoppers waiting for a person. Only wismo support staff see it; "
    "ask your wismo admin to add you to the support staff if you should."
)


def who(actor: str | None) -> str:
    """An actor id as Slack shows a person (a Home tab mention notifies nobody)."""
    if not actor:
        return "nobody"
    found = _SLACK_USER.match(actor)
    return f"<@{found.group(1)}>" if found else escape(actor.partition(":")[2] or actor)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, 3000)}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, 3000)}]}


def _header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, 150)}}


def _actions(block_id: str, buttons: list[Button]) -> dict[str, Any]:
    elements = [e for i, b in enumerate(buttons) if (e := button_element(b, i)) is not None]
    return {"type": "actions", "block_id": block_id, "elements": elements}


def flag_item(flag: QueuedFlag, staff_id: str, *, suffix: str = "") -> list[dict[str, Any]]:
    """A flag in the queue: what, which order, how old, whose; Assign to me, Resolve."""
    where = escape(flag.order_number) + (f" · {escape(flag.carrier)}" if flag.carrier else "")
    lines = [f"*Flag #{flag.id} · {escape(flag.label)}* — order {where}"]
    owner = f" · assigned to {who(flag.assigned_to)}" if flag.assigned_to else " · unassigned"
    lines.append(f"raised {age_words(flag.age)} ago{owner}")
    if flag.note:
        lines.append(f"> {escape(flag.note)}")
    buttons = [
        Button("Resolve", "flag_resolve", str(flag.id)),
        Button("Show order", "staff_order", flag.order_number),
    ]
    if flag.assigned_to != staff_id:
        buttons.insert(0, Button("Assign to me", "flag_assign", str(flag.id)))
    return [_section("\n".join(lines)), _actions(f"flag:{flag.id}{suffix}", buttons)]


def return_item(request: QueuedReturn) -> list[dict[str, Any]]:
    """A return waiting for a decision: Approve, Decline (a modal asks why), Show order."""
    items = f"{request.items} item" + ("" if request.items == 1 else "s")
    text = (
        f"*Return #{request.id}* — order {escape(request.order_number)} · {items} · "
        f"reason: {escape(request.reason.replace('_', ' '))}\n"
        f"asked {age_words(request.age)} ago"
    )
    buttons = [
        Button("Approve", "return_approve", str(request.id)),
        Button("Decline", "return_decline", str(request.id)),
        Button("Show order", "staff_order", request.order_number),
    ]
    return [_section(text), _actions(f"return:{request.id}", buttons)]


def handoff_item(thread: QueuedHandoff, staff_id: str, *, suffix: str = "") -> list[dict[str, Any]]:
    """A shopper waiting for a person (Take over), or one this person has (Hand back)."""
    order = f"order {escape(thread.order_number)}" if thread.order_number else "no order named"
    if thread.state == "waiting":
        status = f"waiting {age_words(thread.age)}"
        buttons = [Button("Take over", "handoff_take", str(thread.id))]
    else:
        status = f"with {who(thread.agent_id)}, opened {age_words(thread.age)} ago"
        buttons = []
    if thread.state == "taken" and thread.agent_id == staff_id:
        buttons.append(Button("Hand back to the bot", "handoff_back", str(thread.id)))
    if thread.order_number:
        buttons.append(Button("Show order", "staff_order", thread.order_number))
    text = f"*Hand-off #{thread.id}* — {order} · {status}"
    actions = [_actions(f"handoff:{thread.id}{suffix}", buttons)] if buttons else []
    return [_section(text), *actions]


def today_block(today: TodayFigures) -> dict[str, Any]:
    """Today's figures as one section of fields."""
    if today.on_time_rate is None:
        on_time = "— (no promised parcel delivered yet)"
    else:
        on_time = f"{today.on_time_rate:.0%} ({today.on_time} of {today.with_promise} promised)"
    questions = (
        f"{today.wismo_questions} — {today.answered_by_bot} by the bot, "
        f"{today.answered_by_staff} by staff"
    )
    fields = [
        ("Open cases", str(today.open_cases)),
        ("On time today", on_time),
        ("Delivered today", str(today.delivered)),
        ("WISMO questions today", questions),
    ]
    return {
        "type": "section",
        "fields": [{"type": "mrkdwn", "text": f"*{label}*\n{value}"} for label, value in fields],
    }


def _more(shown: int, total: int) -> list[dict[str, Any]]:
    return [_context(f"…and {total - shown} more, oldest first.")] if total > shown else []


def home_view(queue: StaffQueue, tz: tzinfo) -> dict[str, Any]:
    """The whole Home tab of `queue.staff_id`."""
    me = queue.staff_id
    updated = queue.as_of.astimezone(tz).strftime("%H:%M %Z")
    blocks: list[dict[str, Any]] = [
        _header("Support queue"),
        _context(f"{queue.today.open_cases} open cases · updated {updated}"),
        today_block(queue.today),
        {"type": "divider"},
        _header("Assigned to me"),
    ]
    mine: list[dict[str, Any]] = []
    for flag in queue.my_flags[:MINE_SHOWN]:
        mine += flag_item(flag, me, suffix="~mine")
    for thread in queue.my_handoffs[: max(MINE_SHOWN - len(queue.my_flags), 0)]:
        mine += handoff_item(thread, me, suffix="~mine")
    blocks += mine or [_context("Nothing yet: “Assign to me” a flag or “Take over” a hand-off.")]
    blocks += [{"type": "divider"}, _header(f"Open flags · {queue.open_flags_total}")]
    if not queue.open_flags_total:
        blocks.append(_context("No open flags."))
    for group in queue.flag_groups:
        if not group.total:
            continue
        blocks.append(_section(f"*{escape(group.heading)}* · {group.total} open"))
        for flag in group.flags:
            blocks += flag_item(flag, me)
        blocks += _more(len(group.flags), group.total)
    blocks += [
        {"type": "divider"},
        _header(f"Returns waiting for a decision · {queue.returns_total}"),
    ]
    for request in queue.returns:
        blocks += return_item(request)
    blocks += _more(len(queue.returns), queue.returns_total) or (
        [] if queue.returns else [_context("No return waits for a decision.")]
    )
    blocks += [
        {"type": "divider"},
        _header(f"Hand-offs waiting for a person · {queue.handoffs_total}"),
    ]
    for thread in queue.handoffs:
        blocks += handoff_item(thread, me)
    blocks += _more(len(queue.handoffs), queue.handoffs_total) or (
        [] if queue.handoffs else [_context("No shopper is waiting for a person.")]
    )
    return {"type": "home", "callback_id": HOME_VIEW, "blocks": _within_limit(blocks)}


def _within_limit(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cut at 100 blocks, never between an item's text and its buttons."""
    if len(blocks) <= MAX_HOME_BLOCKS:
        return blocks
    cut = blocks[: MAX_HOME_BLOCKS - 1]
    if cut[-1]["type"] == "section":
        cut.pop()
    return [*cut, _context("…more than fits in the Home tab; the oldest are shown.")]


def not_staff_view() -> dict[str, Any]:
    """What someone who is not support staff sees: a short explanation, nothing else."""
    blocks = [_header("wismo"), _section(escape(NOT_STAFF_TEXT))]
    return {"type": "home", "callback_id": HOME_VIEW, "blocks": blocks}

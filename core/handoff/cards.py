"""What a hand-off says: the thread card in the support channel and the shopper's notices."""

from __future__ import annotations

from datetime import datetime

from core.replies.reply import Button, KeyValue, Reply, Section
from core.storage.models import HandoffThread

# InboundLog intents as an agent reads them in "what the shopper did before".
INTENT_WORDS = {
    "greeting": "said hello",
    "help": "asked for help",
    "track_order": "asked where an order is",
    "list_orders": "listed their orders",
    "follow": "followed an order",
    "unfollow": "stopped updates for an order",
    "start_return": "looked at returning something",
    "human": "asked for a person",
    "verify": "proved an order is theirs",
    "link": "opened a link from the shop",
    "unknown": "wrote something the bot did not understand",
    "thanks": "said thanks",
}

STATE_WORDS = {
    "waiting": "Waiting for someone to take over",
    "taken": "Taken over by {agent}",
    "closed": "Back with the bot",
}


def first_name_of(name: str | None) -> str:
    """The first word of a name ("Jane Agent" -> "Jane"); "" when there is none."""
    return name.split()[0] if name and name.split() else ""


def thread_card(
    thread: HandoffThread,
    *,
    shopper: str,
    channel: str,
    message: str,
    recent: list[tuple[datetime, str]],
    order_card: Reply | None,
    opens_at: str | None,
    note_marker: str = "note:",
) -> Reply:
    """The thread's first message: who, what they wrote, their order and what they did before."""
    state = STATE_WORDS[thread.state].format(agent=thread.agent_name or "an agent")
    fields = [KeyValue("Shopper", f"{shopper} ({channel})"), KeyValue("State", state)]
    if opens_at:
        fields.append(KeyValue("Outside support hours", f"told the shopper: from {opens_at}"))
    sections = [
        Section(title=f"{shopper} would like to talk to a person", fields=fields),
        Section(title="Their message", text=message or "(no message)"),
    ]
    if recent:
        lines = [f"{at:%H:%M} {INTENT_WORDS.get(intent, intent)}" for at, intent in recent]
        zone_name = f"{recent[0][0]:%Z}"  # the times come in the shop's zone
        sections.append(Section(title=f"Before that ({zone_name})", text="\n".join(lines)))
    if order_card is not None:
        sections += order_card.sections
    sections.append(
        Section(
            text="Press Take over to answer: your replies in this thread then reach the "
            "shopper, signed with your first name. Until then, replies here stay in Slack. "
            f"A reply starting with {note_marker} stays in Slack too: an internal note."
        )
    )
    assert thread.id is not None
    payload = str(thread.id)
    buttons: list[Button] = []
    if thread.state == "waiting":
        buttons = [
            Button("Take over", "handoff_take", payload),
            Button("Close", "handoff_back", payload),
        ]
    elif thread.state == "taken":
        buttons = [Button("Hand back to the bot", "handoff_back", payload)]
    if thread.state != "closed":  # a remark for the team that the shopper never sees
        buttons.append(Button("Note (internal)", "handoff_note", payload))
    return Reply(
        sections=sections,
        buttons=buttons,
        intent="staff_handoff",
        order_number=order_card.order_number if order_card else None,
    )


def agent_message(text: str, agent_first_name: str) -> Reply:
    """An agent's reply as the shopper reads it, signed with the agent's first name."""
    return Reply(
        sections=[Section(text=text), Section(text=f"— {agent_first_name}")], intent="human_reply"
    )


def shopper_line(first_name: str, text: str) -> Reply:
    """A shopper's message as it appears in the thread."""
    return Reply(sections=[Section(text=f"{first_name}: {text}")], intent="handoff_message")


def notice(text: str, *, buttons: list[Button] | None = None) -> Reply:
    """A hand-off notice to the shopper."""
    return Reply(sections=[Section(text=text)], buttons=buttons or [], intent="human")

"""The support desk's collaborators, shared by every Slack listener, and their common steps."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import cards
from adapters.slack.access import Actor, StaffDirectory, actor_of
from adapters.slack.deadline import in_time
from adapters.slack.errors import slack_error
from adapters.slack.modals import Origin
from core.replies import Reply
from core.returns import ReturnError
from core.runtime import Clock, CoreConfig, zone
from core.staff import actor_label, lookup_reply
from core.storage import Database, audit

log = logging.getLogger(__name__)

HELP = (
    "wismo for support staff:\n"
    "• /wismo order <order number | e-mail | tracking number> — show an order\n"
    "• /wismo flag <order number> — flag an issue on an order\n"
    "• /wismo help — this help\n"
    "You can also message me (or mention me) with an order number, an e-mail address or "
    "a tracking number — or pick Look up order or Flag issue in any message's More actions "
    "menu. Alerts and return requests arrive in the alerts channel, with "
    "buttons to resolve flags and approve or decline returns."
)


@dataclass
class StaffDesk:
    database: Database
    clock: Clock
    config: CoreConfig
    directory: StaffDirectory
    # Actor id ("slack:U123") -> display name, learnt from clicks and users.info.
    names: dict[str, str] = field(default_factory=dict)

    @property
    def tz(self) -> tzinfo:
        """The shop's time zone (WISMO_TIMEZONE): staff read every card time in it."""
        return zone(self.config.timezone)

    async def refusal(self, body: dict[str, Any], context: Any) -> tuple[Actor | None, str | None]:
        """The actor of a request and, when they may not act as staff, the refusal to show."""
        actor = actor_of(body)
        authorize = context.get("authorize_result") if context is not None else None
        own_team = getattr(authorize, "team_id", None) or (context or {}).get("team_id")
        refusal = await self.directory.refusal(actor, own_team)
        if refusal is None and actor is not None and actor.name:
            self.names.setdefault(actor.audit_id, actor.name)
        return actor, refusal

    async def name_of(self, client: AsyncWebClient, actor_id: str | None) -> str | None:
        """A display name for an actor id, asking users.info once per unknown Slack user."""
        if not actor_id or not actor_id.startswith("slack:"):
            return None
        if actor_id not in self.names:
            try:
                response = await client.users_info(user=actor_id.removeprefix("slack:"))
            except SlackApiError as exc:
                log.warning("users.info failed: %s", slack_error(exc))
                return None
            user = response.get("user") or {}
            profile = user.get("profile") or {}
            name = profile.get("display_name") or profile.get("real_name") or user.get("name")
            if name:
                self.names[actor_id] = str(name)
        return self.names.get(actor_id)

    async def name_within(
        self, client: AsyncWebClient, actor_id: str | None, seconds: float | None
    ) -> str | None:
        """`name_of`, waited for at most `seconds` (None: as long as it takes).

        Past the wait the answer reads "@U123"; the users.info call goes on and fills the cache.
        """
        if seconds is None or actor_id in self.names:
            return await self.name_of(client, actor_id)
        finished, lookup = await in_time(self.name_of(client, actor_id), seconds)
        return lookup.result() if finished else None

    async def look_up(self, actor: Actor, query: str, via: str | None = None) -> Reply:
        """The answer to a staff look-up, audited as `order.lookup` (never with the query).

        `via` names where it was asked (e.g. "message_shortcut") in the audit entry.
        """
        async with self.database.transaction() as session:
            reply = await lookup_reply(session, query, self.names, self.tz)
            await audit.record(
                session,
                self.clock,
                actor=actor.audit_id,
                action="order.lookup",
                subject_type="order",
                subject_id=reply.order_number or "-",
                before=None,
                after={"intent": reply.intent, **({"via": via} if via else {})},
            )
        return reply

    async def card(self, ref: str | None) -> Reply | None:
        """A card as it is now."""
        async with self.database.session() as session:
            return await cards.current_card(session, ref, self.names, self.tz)

    async def refresh(self, client: AsyncWebClient, where: cards.Where, ref: str | None) -> None:
        """Redraw the card at `where` from the database."""
        reply = await self.card(ref)
        if reply is not None:
            try:
                await cards.replace(client, where, reply)
            except SlackApiError as exc:
                log.warning("could not update a card: %s", slack_error(exc))

    async def refresh_alert(
        self, client: AsyncWebClient, subject_type: str, subject_id: int, skip: cards.Where | None
    ) -> None:
        """Redraw the outbox-posted alert about a flag or return (when it was posted)."""
        ref = f"{subject_type}:{subject_id}"
        async with self.database.session() as session:
            reply = await cards.current_card(session, ref, self.names, self.tz)
            if reply is not None:
                await cards.refresh_alert(
                    client, session, subject_type, subject_id, reply, skip=skip
                )


def where_of(origin: Origin) -> cards.Where:
    """The message a modal was opened from."""
    return cards.Where(
        channel=origin.channel,
        ts=origin.ts,
        response_url=origin.response_url,
        ephemeral=origin.ephemeral,
    )


async def say_privately(client: AsyncWebClient, channel: str | None, user: str, text: str) -> None:
    """An ephemeral line of text for one person."""
    await cards.tell(client, channel, user, Reply.text(text, intent="staff_notice"))


async def already_decided_text(
    desk: StaffDesk,
    client: AsyncWebClient,
    error: ReturnError,
    return_id: int | str,
    *,
    within: float | None = None,
) -> str:
    """What the loser of a race (or a late click) reads: who decided, and when.

    `within` bounds the wait for the decider's name (users.info) when an ack is pending.
    """
    by = getattr(error, "by", None)
    at = getattr(error, "at", None)
    state = getattr(error, "state", "decided")
    name = await desk.name_within(client, by, within)
    who = actor_label(by, {by: name} if by and name else None) if by else "someone"
    stamp = f" at {at.astimezone(desk.tz):%H:%M %Z}" if at else ""
    return f"Return #{return_id} was already {state} by {who}{stamp}. Nothing changed."

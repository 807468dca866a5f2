"""Who may take staff actions: configured user ids and/or members of the staff channel.

Channel membership comes from `conversations.members`, cached briefly so a busy desk does
not call Slack on every click. Users of another workspace (a Slack Connect channel) are
never staff, even when they are members of the staff channel.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.errors import slack_error
from core.runtime import Clock

log = logging.getLogger(__name__)

MEMBERS_TTL = timedelta(seconds=60)

REFUSAL = (
    "Sorry — only wismo support staff can do that. "
    "Ask your wismo admin to add you to the support staff."
)
FOREIGN_REFUSAL = (
    "Sorry — wismo takes staff actions only from members of its own workspace, "
    "not from people in a shared channel."
)


@dataclass(frozen=True)
class Actor:
    """The Slack user behind a request."""

    user_id: str
    team_id: str | None = None
    name: str = ""

    @property
    def audit_id(self) -> str:
        """How the audit log and the core name this person."""
        return f"slack:{self.user_id}"


def actor_of(body: dict[str, Any]) -> Actor | None:
    """The user of a slash command, interactive payload or event callback."""
    user = body.get("user")
    if isinstance(user, dict) and user.get("id"):
        name = user.get("username") or user.get("name")
        return Actor(
            user_id=user["id"],
            team_id=user.get("team_id") or body.get("team", {}).get("id"),
            name=name if isinstance(name, str) else "",  # a forged list must not reach SQL
        )
    if body.get("user_id"):  # slash command
        team = body.get("user_team_id") or body.get("team_id")
        return Actor(body["user_id"], team, body.get("user_name", ""))
    event = body.get("event") or {}
    if event.get("user"):
        return Actor(event["user"], event.get("user_team") or event.get("team"))
    return None


class StaffDirectory:
    """Answers "is this person staff?" for the workspace the bot is installed in."""

    def __init__(
        self,
        client: AsyncWebClient,
        clock: Clock,
        *,
        staff_users: frozenset[str] = frozenset(),
        staff_channel: str | None = None,
        ttl: timedelta = MEMBERS_TTL,
    ) -> None:
        self.client = client
        self.clock = clock
        self.staff_users = staff_users
        self.staff_channel = staff_channel
        self.ttl = ttl
        self._members: frozenset[str] = frozenset()
        self._fetched_at: datetime | None = None
        self._lock = asyncio.Lock()

    async def refusal(self, actor: Actor | None, own_team: str | None) -> str | None:
        """None when `actor` is staff; otherwise the text to show them."""
        if actor is None:
            return REFUSAL
        if own_team and actor.team_id and actor.team_id != own_team:
            return FOREIGN_REFUSAL
        if actor.user_id in self.staff_users:
            return None
        if self.staff_channel and actor.user_id in await self._channel_members():
            return None
        log.info("refused a staff action to Slack user %s", actor.user_id)
        return REFUSAL

    async def _channel_members(self) -> frozenset[str]:
        async with self._lock:  # one conversations.members call, however many clicks wait
            now = self.clock.now()
            if self._fetched_at is not None and now - self._fetched_at < self.ttl:
                return self._members
            assert self.staff_channel is not None
            members: set[str] = set()
            cursor: str | None = None
            try:
                while True:
                    response = await self.client.conversations_members(
                        channel=self.staff_channel, cursor=cursor, limit=1000
                    )
                    members.update(response.get("members") or [])
                    cursor = (response.get("response_metadata") or {}).get("next_cursor")
                    if not cursor:
                        break
            except (SlackApiError, aiohttp.ClientError, TimeoutError, OSError) as exc:
                # Keep the last known list; an outage must not hand staff rights to anyone.
                log.warning(
                    "conversations.members failed: %s",
                    slack_error(exc) if isinstance(exc, SlackApiError) else type(exc).__name__,
                )
                return self._members
            self._members = frozenset(members)
            self._fetched_at = now
            return self._members

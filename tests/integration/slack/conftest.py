"""The Slack desk under test: the stand-in Web API, and wismo's real HTTP app on uvicorn.

Requests reach `/slack/events` over real HTTP, signed as Slack signs them
(`v0=` + HMAC-SHA256 of `v0:{timestamp}:{body}`); bolt checks the signature against the
wall clock, so signing uses it too.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
import uvicorn
from aiohttp import web
from sqlmodel import col, select

from bot.http import create_app
from bot.services import Services, build_services
from bot.settings import Settings
from bot.slack import build_slack
from core.pushes.dispatch import Dispatcher
from core.runtime.clock import ManualClock
from core.storage.db import Database
from core.storage.models import Notification
from tests.integration.slack.manifest import manifest_scopes
from tests.integration.slack.stand_in import TEAM, SlackStandIn

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
AGENT = "U0AGENT1"
AGENT2 = "U0AGENT2"
CHANNEL_MEMBER = "U0MEMBER"
OUTSIDER = "U0SHOPPER"
ALERTS = "C0ALERTS"
STAFF_CHANNEL = "C0STAFF"
WORK_CHANNEL = "C0WORK"
SUPPORT = "C0SUPPORT"


@pytest.fixture
async def slack_api() -> AsyncIterator[SlackStandIn]:
    """The stand-in Slack Web API on 127.0.0.1, on a free port."""
    stand_in = SlackStandIn(
        members=[CHANNEL_MEMBER, AGENT],
        users={AGENT: "jane.agent", AGENT2: "omar.agent", CHANNEL_MEMBER: "mia.member"},
        granted=manifest_scopes(),  # what a workspace installing the README's manifest grants
    )
    runner = web.AppRunner(stand_in.application())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    stand_in.url = f"http://127.0.0.1:{port}"
    yield stand_in
    await runner.cleanup()


def sign(body: bytes, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    """Slack's request signature."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Desk:
    """Speaks to wismo as Slack does, and reads what wismo said back through the stand-in."""

    url: str
    http: httpx.AsyncClient
    api: SlackStandIn
    services: Services
    database: Database
    delivered: set[int | None] = field(default_factory=set)
    # Slack gives every command and click a fresh trigger_id, so no two requests are alike.
    triggers: Iterator[int] = field(default_factory=lambda: itertools.count(42))
    last_request: tuple[bytes, dict[str, str]] = (b"", {})

    def trigger_id(self) -> str:
        return f"1337.{next(self.triggers)}.trigger"

    async def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str = SIGNING_SECRET,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        stamp = int(time.time()) if timestamp is None else timestamp
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(stamp),
            "X-Slack-Signature": sign(body, stamp, secret),
            **(headers or {}),
        }
        self.last_request = (body, sent)
        return await self.http.post(f"{self.url}/slack/events", content=body, headers=sent)

    async def replay(self) -> httpx.Response:
        """Send the last request again, byte for byte: what an eavesdropper could do."""
        body, sent = self.last_request
        return await self.http.post(f"{self.url}/slack/events", content=body, headers=sent)

    async def command(
        self, text: str, *, user: str = AGENT, channel: str = WORK_CHANNEL, **signing: Any
    ) -> httpx.Response:
        form = {
            "token": "legacy",
            "team_id": TEAM,
            "channel_id": channel,
            "user_id": user,
            "user_name": user.lower(),
            "command": "/wismo",
            "text": text,
            "trigger_id": self.trigger_id(),
            "response_url": self.api.response_url("command"),
        }
        return await self.post(
            urlencode(form).encode(), "application/x-www-form-urlencoded", **signing
        )

    async def interact(self, payload: dict[str, Any], **signing: Any) -> httpx.Response:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return await self.post(body, "application/x-www-form-urlencoded", **signing)

    async def click(
        self,
        button: dict[str, Any],
        *,
        user: str = AGENT,
        team: str = TEAM,
        channel: str = ALERTS,
        message_ts: str | None = "1700000000.000001",
        response_url: str = "r1",
    ) -> httpx.Response:
        """Click a button as rendered in a recorded call (see `Call.buttons`)."""
        container: dict[str, Any] = {"type": "message", "channel_id": channel}
        if message_ts is None:
            container["is_ephemeral"] = True
        else:
            container["message_ts"] = message_ts
        payload = {
            "type": "block_actions",
            "team": {"id": team, "domain": "shop"},
            "user": {"id": user, "username": self.api.users.get(user, user), "team_id": team},
            "api_app_id": "A0WISMO",
            "trigger_id": self.trigger_id(),
            "container": container,
            "channel": {"id": channel},
            "response_url": self.api.response_url(response_url),
            "actions": [
                {
                    "type": "button",
                    "action_id": button["action_id"],
                    "block_id": button["block_id"],
                    "value": button["value"],
                    "text": button["text"],
                    "action_ts": "1700000000.5",
                }
            ],
        }
        if message_ts is not None:
            payload["message"] = {"ts": message_ts, "type": "message"}
        return await self.interact(payload)

    async def shortcut(
        self,
        callback_id: str,
        text: str,
        *,
        user: str = AGENT,
        channel: str = WORK_CHANNEL,
        attachments: list[dict[str, Any]] | None = None,
    ) -> httpx.Response:
        """Pick a message shortcut from the "More actions" menu of a message saying `text`."""
        message: dict[str, Any] = {
            "type": "message",
            "user": "U0COLLEAGUE",
            "ts": "1700000000.000777",
            "text": text,
        }
        if attachments:
            message["attachments"] = attachments
        payload = {
            "type": "message_action",
            "callback_id": callback_id,
            "trigger_id": self.trigger_id(),
            "response_url": self.api.response_url("shortcut"),
            "team": {"id": TEAM, "domain": "shop"},
            "user": {"id": user, "username": self.api.users.get(user, user), "team_id": TEAM},
            "channel": {"id": channel, "name": "general"},
            "message_ts": message["ts"],
            "message": message,
            "action_ts": "1700000001.000001",
        }
        return await self.interact(payload)

    async def submit(
        self,
        view: dict[str, Any],
        values: dict[str, Any],
        *,
        user: str = AGENT,
        team: str = TEAM,
    ) -> httpx.Response:
        """Submit a modal as recorded by views.open; `values` maps block_id to a value."""
        state: dict[str, Any] = {}
        for block_id, value in values.items():
            if isinstance(value, dict):  # a select or radio choice
                state[block_id] = {"value": {"type": "static_select", "selected_option": value}}
            else:
                state[block_id] = {"value": {"type": "plain_text_input", "value": value}}
        payload = {
            "type": "view_submission",
            "team": {"id": team, "domain": "shop"},
            "user": {"id": user, "username": self.api.users.get(user, user), "team_id": team},
            "api_app_id": "A0WISMO",
            "trigger_id": self.trigger_id(),
            "view": {
                "id": "V0MODAL",
                "team_id": team,
                "type": "modal",
                "callback_id": view["callback_id"],
                "private_metadata": view["private_metadata"],
                "state": {"values": state},
            },
        }
        return await self.interact(payload)

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str = "Ev0001",
        retry: int | None = None,
        **signing: Any,
    ) -> httpx.Response:
        envelope = {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A0WISMO",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": "U0BOT", "is_bot": True}],
            "event": event,
        }
        headers = {}
        if retry is not None:
            headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.post(
            json.dumps(envelope).encode(), "application/json", headers=headers, **signing
        )

    async def deliver_outbox(self) -> list[tuple[Notification, str]]:
        """Run wismo's dispatcher once over the Slack channels; what it sent this time."""
        senders = {c: self.services.senders[c] for c in ("slack", "slack_thread")}
        dispatcher = Dispatcher(self.database, self.services.clock, senders)
        await dispatcher.run_once()
        async with self.database.session() as session:
            rows = (
                await session.exec(
                    select(Notification)
                    .where(col(Notification.channel).in_(list(senders)))
                    .order_by(col(Notification.id))
                )
            ).all()
        fresh = [n for n in rows if n.id not in self.delivered]
        for notification in fresh:
            assert notification.state == "sent", (notification.state, notification.last_error)
            assert notification.external_ref is not None
            self.delivered.add(notification.id)
        return [(n, str(n.external_ref)) for n in fresh]


@pytest.fixture
async def desk(db: Database, clock: ManualClock, slack_api: SlackStandIn) -> AsyncIterator[Desk]:
    """wismo's HTTP app with Slack in HTTP mode, served by uvicorn on a free port."""
    async with serve_desk(db.url, clock, slack_api) as served:
        yield served


@asynccontextmanager
async def serve_desk(
    database_url: str, clock: ManualClock, slack_api: SlackStandIn
) -> AsyncIterator[Desk]:
    """The `desk` fixture's app on any database (the outage tests use PostgreSQL)."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack_api.api_url,
        slack_staff_users=f"{AGENT},{AGENT2}",
        slack_staff_channel=STAFF_CHANNEL,
        slack_alerts_channel=ALERTS,
        slack_support_channel=SUPPORT,
    )
    services = build_services(settings, clock=clock)
    component = build_slack(services)
    assert component is not None
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(services), host="127.0.0.1", port=0, log_level="warning", lifespan="off"
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "uvicorn did not start"
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    async with httpx.AsyncClient(timeout=10) as http:
        yield Desk(f"http://127.0.0.1:{port}", http, slack_api, services, services.database)
    server.should_exit = True
    await task
    await component.stop()
    await services.database.dispose()

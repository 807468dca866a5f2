"""The Slack adapter fails closed: no HTTP app without a signing secret, and no request
ever skips the signature check because a secret is missing."""

from __future__ import annotations

import asyncio
import json
import time
from urllib.parse import urlencode

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route

from adapters.slack.app import EVENTS_PATH, MissingSigningSecret, SlackChannel, SlackConfig
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from tests.integration.slack.conftest import AGENT, sign
from tests.integration.slack.stand_in import TEAM, SlackStandIn


@pytest.mark.parametrize("secret", [None, ""])
def test_http_mode_is_refused_without_a_signing_secret(
    db: Database, clock: ManualClock, secret: str | None
) -> None:
    config = SlackConfig(bot_token="xoxb-test-token", signing_secret=secret)
    with pytest.raises(MissingSigningSecret, match="WISMO_SLACK_SIGNING_SECRET"):
        SlackChannel(config, db, clock, CoreConfig())


async def test_a_socket_mode_app_still_checks_signatures_over_http(
    db: Database, clock: ManualClock, slack_api: SlackStandIn
) -> None:
    """Mounted by mistake, a Socket Mode app (no secret) takes no request as Slack's."""
    config = SlackConfig(bot_token="xoxb-test-token", app_token="xapp-1", api_url=slack_api.api_url)
    channel = SlackChannel(config, db, clock, CoreConfig())

    async def events(request: Request):  # type: ignore[no-untyped-def]
        return await channel.handler.handle(request)

    app = Starlette(routes=[Route(EVENTS_PATH, events, methods=["POST"])])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done()
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    body = urlencode(
        {
            "team_id": TEAM,
            "user_id": AGENT,
            "command": "/wismo",
            "text": "order 1001",
            "payload": json.dumps({}),
        }
    ).encode()
    stamp = int(time.time())
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            for signature in ("", sign(body, stamp, ""), sign(body, stamp, "guess")):
                response = await http.post(
                    f"http://127.0.0.1:{port}{EVENTS_PATH}",
                    content=body,
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "X-Slack-Request-Timestamp": str(stamp),
                        "X-Slack-Signature": signature,
                    },
                )
                assert response.status_code == 401, (signature, response.text)
    finally:
        server.should_exit = True
        await task
    assert slack_api.of("chat.postEphemeral") == [] and slack_api.of("auth.test") == []

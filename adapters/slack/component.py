"""Slack as a `wismo run` component: checks the token, then serves HTTP or Socket Mode."""

from __future__ import annotations

import logging

import aiohttp
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

from adapters.slack.app import EVENTS_PATH, SlackChannel

log = logging.getLogger(__name__)


class SlackComponent:
    """Starts the Slack channel inside the service's event loop."""

    name = "slack"

    def __init__(self, channel: SlackChannel) -> None:
        self.channel = channel
        self._socket: AsyncSocketModeHandler | None = None

    async def start(self) -> None:
        """auth.test, then connect Socket Mode when an app token is set (HTTP needs nothing)."""
        try:
            identity = await self.channel.check_token()
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            # Slack being briefly unreachable must not keep the shop's service down; bolt
            # repeats auth.test on the first request. A rejected token still stops the start.
            log.warning("Slack unreachable at start (%s); continuing", type(exc).__name__)
        else:
            log.info("Slack bot %s in team %s", identity.get("user_id"), identity.get("team_id"))
        if self.channel.config.socket_mode:
            self._socket = AsyncSocketModeHandler(
                self.channel.app, self.channel.config.app_token, web_client=self.channel.client
            )
            await self._socket.connect_async()
            log.info("Slack connected in Socket Mode")
        else:
            log.info("Slack in HTTP mode: point the Slack app at https://<host>%s", EVENTS_PATH)

    async def stop(self) -> None:
        """Disconnect Socket Mode and close the Web API client's HTTP session."""
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None

"""The Slack side of wismo: one slack-bolt `AsyncApp` with the staff desk's listeners.

HTTP mode (`/slack/events`, signature and timestamp checked by bolt's request
verification) or Socket Mode (an app-level token); the Web API base URL is configurable so
a local stand-in can play Slack, and 429 answers are retried after their Retry-After.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest as BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from adapters.slack import actions, commands, handoff, home_tab, outage, shortcuts, views
from adapters.slack.access import StaffDirectory
from adapters.slack.desk import StaffDesk
from adapters.slack.errors import slack_error
from adapters.slack.sender import SlackSender
from adapters.slack.shapes import read_body, well_formed
from core.replies import SendPace
from core.runtime import Clock, CoreConfig
from core.storage import Database, database_unavailable, first_delivery, forget_delivery

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
REQUEST_MARK = "slack-request"  # dedupe channel for signed HTTP requests


@dataclass(frozen=True)
class SlackConfig:
    """The Slack settings, as plain values."""

    bot_token: str
    signing_secret: str | None = None
    app_token: str | None = None
    api_url: str = "https://slack.com/api/"
    staff_users: frozenset[str] = frozenset()
    staff_channel: str | None = None
    rate_limit_retries: int = 2

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)


def build_web_client(config: SlackConfig) -> AsyncWebClient:
    """The Web API client: configurable base URL, retries on connection errors and on 429."""
    base_url = config.api_url if config.api_url.endswith("/") else config.api_url + "/"
    return AsyncWebClient(
        token=config.bot_token,
        base_url=base_url,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=1),
            AsyncRateLimitErrorRetryHandler(max_retry_count=config.rate_limit_retries),
        ],
    )


def _signature(request: BoltRequest | None) -> str:
    """The request's X-Slack-Signature over HTTP ('' in Socket Mode, which signs nothing)."""
    if request is None or request.mode != "http":
        return ""
    return str(request.headers.get("x-slack-signature", [""])[0])


class MissingSigningSecret(ValueError):
    """HTTP mode without a signing secret would take anyone's request as Slack's."""


class SlackChannel:
    """The built app, its client, the desk behind it and the outbox sender.

    Fails closed: HTTP mode (no app token) refuses to build without a signing secret, and
    request verification is never switched off — Socket Mode requests skip it inside bolt,
    and an HTTP request to a Socket Mode app without a secret fails its signature check.
    """

    def __init__(
        self,
        config: SlackConfig,
        database: Database,
        clock: Clock,
        core_config: CoreConfig,
        pace: SendPace | None = None,
    ) -> None:
        if not config.socket_mode and not config.signing_secret:
            raise MissingSigningSecret(
                "Slack HTTP mode needs a signing secret (WISMO_SLACK_SIGNING_SECRET) to tell "
                "Slack's requests from anyone else's; set it, or an app token for Socket Mode"
            )
        self.config = config
        self.client = build_web_client(config)
        directory = StaffDirectory(
            self.client,
            clock,
            staff_users=config.staff_users,
            staff_channel=config.staff_channel,
        )
        self.desk = StaffDesk(database, clock, core_config, directory)
        self.app = AsyncApp(
            client=self.client,  # carries the bot token
            # Socket Mode without a secret: a random one nobody knows, so that an HTTP
            # request reaching this app is refused (401) rather than believed.
            signing_secret=config.signing_secret or secrets.token_hex(32),
            request_verification_enabled=True,
            process_before_response=False,
            # bolt sets the level of the logger named after the app to the root's on
            # every request; named "wismo" it would pin wismo's own logger's level.
            name="wismo.slack",
        )
        self.app.middleware(self._once_per_request)
        self.app.middleware(self._once_per_event)
        self.app.error(self._on_error)
        self.home = home_tab.HomePublisher(self.client, self.desk)
        # Home first, then hand-offs: bolt runs only the first matching listener.
        home_tab.register(self.app, self.desk, self.home)
        handoff.register(self.app, self.desk)
        commands.register(self.app, self.desk)
        actions.register(self.app, self.desk)
        views.register(self.app, self.desk)
        shortcuts.register(self.app, self.desk)
        self.sender = SlackSender(self.client, pace)  # pace: posts per channel, bot-wide
        self.handler = AsyncSlackRequestHandler(self.app)

    async def _once_per_request(
        self, req: BoltRequest, body: dict[str, Any], next: Any
    ) -> BoltResponse | None:
        """A signed HTTP request replayed within its 5 minutes acts once.

        Runs after bolt has checked the signature, so only genuine requests are marked. The
        signature is an HMAC of the timestamp and the whole body, so it names this exact
        request: a replay of a slash command or a button click carries the same one, while
        a new click (or Slack's own event retry, with a new timestamp) does not.
        """
        signature = _signature(req)
        if signature:
            try:
                async with self.desk.database.transaction() as session:
                    first = await first_delivery(session, self.desk.clock, REQUEST_MARK, signature)
            except Exception as exc:
                if not database_unavailable(exc):
                    raise
                return outage.not_now(body)
            if not first:
                log.warning("a replayed Slack request was ignored")
                return BoltResponse(status=200, body="")
        return await next()  # type: ignore[no-any-return]

    async def _once_per_event(self, body: dict[str, Any], next: Any) -> BoltResponse | None:
        """Slack redelivers events it thinks we missed (X-Slack-Retry-Num); act on each once.

        bolt acknowledges an event before its listener runs, so Slack redelivers only when
        the request failed before that ack; `_on_error` then releases the mark.
        """
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            try:
                async with self.desk.database.transaction() as session:
                    first = await first_delivery(session, self.desk.clock, "slack", str(event_id))
            except Exception as exc:
                if not database_unavailable(exc):
                    raise
                return outage.not_now(body)
            if not first:
                log.info("Slack event %s redelivered; already handled", event_id)
                return BoltResponse(status=200, body="")
        return await next()  # type: ignore[no-any-return]

    async def _on_error(
        self,
        error: Exception,
        body: dict[str, Any],
        request: BoltRequest,
        response: BoltResponse | None,
    ) -> None:
        log.error(
            "Slack listener failed (%s): %s",
            body.get("type") or body.get("command"),
            error,
            exc_info=error,
        )
        if response is None and database_unavailable(error):
            # After the ack: the work is not done, and the staff member is told to retry.
            await outage.tell_to_retry(body, self.client)
            return
        # bolt answers 500 only when the failure came before the ack (after it, `response`
        # is None): Slack then redelivers the event, and the redelivery must not be dropped.
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if response is not None and response.status >= 500:
            marks = [(REQUEST_MARK, signature)] if (signature := _signature(request)) else []
            if event_id:
                marks.append(("slack", str(event_id)))
            try:
                async with self.desk.database.transaction() as session:
                    for channel, key in marks:
                        await forget_delivery(session, channel, key)
            except Exception:  # the database may be what failed; Slack's retry is then lost
                log.exception("could not release Slack event %s for its redelivery", event_id)

    async def handle(self, request: Request) -> Response:
        """One HTTP request to `/slack/events`: refused (400) unless shaped as Slack's are."""
        body = read_body(await request.body(), request.headers.get("content-type"))
        if body is None or not well_formed(body):
            log.warning("Slack request with a malformed body refused")
            return JSONResponse({"ok": False, "error": "malformed request body"}, 400)
        return await self.handler.handle(request)

    async def check_token(self) -> dict[str, Any]:
        """auth.test: who the bot is; raises with a clear message on a bad token."""
        try:
            response = await self.client.auth_test()
        except SlackApiError as exc:
            raise RuntimeError(
                f"Slack rejected WISMO_SLACK_BOT_TOKEN: {slack_error(exc)}"
            ) from None
        return dict(response.data) if isinstance(response.data, dict) else {}

"""Slack wiring: the channel built from the settings, and its `/slack/events` endpoint.

`wismo run` starts Slack when WISMO_SLACK_BOT_TOKEN is set: Socket Mode when
WISMO_SLACK_APP_TOKEN is set too, otherwise HTTP mode, where Slack POSTs events, slash
commands and interactivity to `/slack/events` on wismo's HTTP app. bolt checks the
signature and the timestamp (older than 5 minutes → 401) before anything else runs.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from adapters.slack.app import EVENTS_PATH, SlackChannel, SlackConfig
from adapters.slack.component import SlackComponent
from bot.services import Services, shared_pace
from bot.settings import Settings
from core.handoff import THREAD_CHANNEL
from core.pushes import HOME_CHANNEL, LocalPace


def slack_config(settings: Settings) -> SlackConfig:
    """The channel's configuration, copied from the settings."""
    if not settings.slack_bot_token:
        raise ValueError("WISMO_SLACK_BOT_TOKEN is not set")
    return SlackConfig(
        bot_token=settings.slack_bot_token,
        signing_secret=settings.slack_signing_secret,
        app_token=settings.slack_app_token,
        api_url=settings.slack_api_url,
        staff_users=settings.staff_user_ids,
        staff_channel=settings.slack_staff_channel,
    )


def build_slack(services: Services) -> SlackComponent | None:
    """The Slack channel when a bot token is set (else None); registers its sender.

    Idempotent: a second call returns a component around the channel already built.
    """
    if not services.settings.slack_bot_token:
        return None
    if not isinstance(services.slack, SlackChannel):
        rate = services.settings.slack_rate_per_channel
        pace = shared_pace(services, "slack", rate) or LocalPace(rate)
        services.slack = SlackChannel(
            slack_config(services.settings),
            services.database,
            services.clock,
            services.config,
            pace=pace,
        )
    services.senders["slack"] = services.slack.sender
    services.senders[THREAD_CHANNEL] = services.slack.sender  # recipients "CHANNEL:THREAD_TS"
    services.senders[HOME_CHANNEL] = services.slack.home  # Home tab refreshes, per Slack user
    return SlackComponent(services.slack)


router = APIRouter(tags=["slack"])


@router.post(EVENTS_PATH, include_in_schema=False)
async def slack_events(request: Request) -> Response:
    """Slack's events, slash commands and button clicks; bolt verifies the signature first."""
    services: Services = request.app.state.services
    channel = services.slack
    if not isinstance(channel, SlackChannel) or not channel.config.signing_secret:
        return JSONResponse({"ok": False, "error": "slack http mode is not enabled"}, 404)
    return await channel.handle(request)

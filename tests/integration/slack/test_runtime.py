"""`wismo run` with Slack: the token is checked; Socket Mode works without a public URL."""

from __future__ import annotations

import httpx
import pytest

from bot.runtime import build_components
from bot.services import build_services
from bot.settings import Settings, SettingsError, load_settings
from bot.slack import build_slack
from core.runtime.clock import ManualClock
from core.storage.db import Database
from tests.integration.slack.conftest import AGENT, WORK_CHANNEL
from tests.integration.slack.stand_in import TEAM, SlackStandIn
from tests.unit.staff_data import build_shop


def _settings(db: Database, api: SlackStandIn, **extra: object) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=db.url,
        slack_bot_token="xoxb-test-token",
        slack_api_url=api.api_url,
        slack_staff_users=AGENT,
        **extra,  # type: ignore[arg-type]
    )


async def test_wismo_run_includes_slack_only_when_a_token_is_set(
    db: Database, slack_api: SlackStandIn
) -> None:
    with_slack = build_services(_settings(db, slack_api, slack_signing_secret="s"))
    assert "slack" in [c.name for c in build_components(with_slack)]
    assert {"slack", "slack_thread"} <= set(with_slack.senders)
    without = build_services(Settings(_env_file=None, database_url=db.url))  # type: ignore[call-arg]
    assert "slack" not in [c.name for c in build_components(without)]
    assert "slack" not in without.senders
    await with_slack.database.dispose()
    await without.database.dispose()


def test_http_mode_needs_the_signing_secret() -> None:
    with pytest.raises(SettingsError, match="WISMO_SLACK_SIGNING_SECRET is required"):
        load_settings(_env_file=None, slack_bot_token="xoxb-1")


async def test_a_rejected_token_stops_the_start_with_a_clear_message(
    db: Database, slack_api: SlackStandIn
) -> None:
    slack_api.answers["auth.test"] = {"ok": False, "error": "invalid_auth"}
    services = build_services(_settings(db, slack_api, slack_signing_secret="s"))
    component = build_slack(services)
    assert component is not None
    with pytest.raises(RuntimeError, match="Slack rejected WISMO_SLACK_BOT_TOKEN: invalid_auth"):
        await component.start()
    await services.database.dispose()


async def test_socket_mode_answers_a_slash_command(
    db: Database, clock: ManualClock, slack_api: SlackStandIn
) -> None:
    async with db.transaction() as session:
        await build_shop(session, clock)
    services = build_services(_settings(db, slack_api, slack_app_token="xapp-1-test"), clock=clock)
    component = build_slack(services)
    assert component is not None
    await component.start()
    try:
        [opened] = slack_api.of("apps.connections.open")
        assert opened.token == "xapp-1-test"
        await slack_api.push(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": {
                    "team_id": TEAM,
                    "channel_id": WORK_CHANNEL,
                    "user_id": AGENT,
                    "command": "/wismo",
                    "text": "order 1001",
                    "trigger_id": "1.2.3",
                },
            }
        )
        [ack] = await slack_api.wait_for("socket:ack")
        assert ack.args["envelope_id"] == "env-1"
        [card] = await slack_api.wait_for("chat.postEphemeral")
        assert "*Order 1001*" in card.text and card.token == "xoxb-test-token"
    finally:
        await component.stop()
        await services.database.dispose()


async def test_events_url_is_404_when_slack_http_mode_is_off(db: Database) -> None:
    from bot.http import create_app

    services = build_services(Settings(_env_file=None, database_url=db.url))  # type: ignore[call-arg]
    transport = httpx.ASGITransport(app=create_app(services))
    async with httpx.AsyncClient(transport=transport, base_url="http://wismo") as http:
        response = await http.post("/slack/events", content=b"{}")
    assert response.status_code == 404
    await services.database.dispose()


async def test_slack_unreachable_at_start_does_not_stop_wismo(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=db.url,
        slack_bot_token="xoxb-test-token",
        slack_signing_secret="s",
        slack_api_url="http://127.0.0.1:9/api/",  # the discard port: nothing answers
    )
    services = build_services(settings)
    component = build_slack(services)
    assert component is not None
    await component.start()  # does not raise
    assert "Slack unreachable at start" in caplog.text
    await component.stop()
    await services.database.dispose()

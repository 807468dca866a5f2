"""SlackSender.send_image: files.upload v2 through slack_sdk against the stand-in Web API."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.sender import SlackSender
from core.replies.sender import Permanent, RateLimited, Sent
from tests.integration.slack.stand_in import SlackStandIn

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _sender(api: SlackStandIn) -> SlackSender:
    return SlackSender(AsyncWebClient(token="xoxb-test-token", base_url=api.api_url))


async def test_an_image_is_uploaded_and_shared_in_the_channel(slack_api: SlackStandIn) -> None:
    outcome = await _sender(slack_api).send_image(
        "C0ALERTS", PNG, filename="chart.png", title="Stage durations", comment="This week"
    )

    assert isinstance(outcome, Sent)
    [shared] = slack_api.shared_files
    assert outcome.ref == shared["id"]
    assert shared["content"] == PNG
    assert shared["channel"] == "C0ALERTS"
    assert shared["name"] == "chart.png"
    assert shared["title"] == "Stage durations"
    assert shared["initial_comment"] == "This week"
    assert shared["thread_ts"] is None
    [asked] = slack_api.of("files.getUploadURLExternal")
    assert asked.args["length"] == str(len(PNG))
    assert asked.token == "xoxb-test-token"


async def test_an_image_can_go_into_a_thread(slack_api: SlackStandIn) -> None:
    outcome = await _sender(slack_api).send_image(
        "C0SUPPORT:1700000000.000001", PNG, filename="chart.png", title="Chart"
    )

    assert isinstance(outcome, Sent)
    [shared] = slack_api.shared_files
    assert shared["channel"] == "C0SUPPORT"
    assert shared["thread_ts"] == "1700000000.000001"
    assert not shared["initial_comment"]


async def test_a_rate_limited_upload_is_retried_later(slack_api: SlackStandIn) -> None:
    slack_api.rate_limit("files.getUploadURLExternal", retry_after=30)
    sender = SlackSender(
        AsyncWebClient(token="xoxb-test-token", base_url=slack_api.api_url, retry_handlers=[])
    )

    outcome = await sender.send_image("C0ALERTS", PNG, filename="chart.png", title="Chart")

    assert outcome == RateLimited(retry_after=30.0)
    assert slack_api.shared_files == []


async def test_a_channel_the_bot_is_not_in_is_a_permanent_failure(
    slack_api: SlackStandIn,
) -> None:
    slack_api.answers["files.completeUploadExternal"] = {"ok": False, "error": "not_in_channel"}

    outcome = await _sender(slack_api).send_image(
        "C0ELSEWHERE", PNG, filename="chart.png", title="Chart"
    )

    assert outcome == Permanent("slack: not_in_channel")
    assert slack_api.shared_files == []

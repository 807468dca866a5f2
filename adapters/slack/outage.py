"""What Slack and the staff member hear when wismo's database cannot be reached.

Nothing is acknowledged as done that was not done. Before the ack (the redelivery checks
need the database): a slash command is answered at once with a private "try again" —
Slack never resends a command, so the staff member's retry is what brings the answer —
and anything else gets 503, which makes Slack resend an event and shows a failed click
as failed. After the ack (the listener's own work failed), the staff member is told
through the request's response_url (commands and clicks carry one), or for an event (a
direct message, a mention) in its conversation: Slack will not resend an acknowledged
event, so asking again is what brings the answer.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

log = logging.getLogger(__name__)

RETRY_LATER = (
    "wismo can't reach its database right now, so nothing was done. Please try again in a minute."
)


def not_now(body: dict[str, Any]) -> BoltResponse:
    """The answer to a request that arrived while the database was unreachable."""
    if body.get("command"):
        log.warning("Slack command %s refused: database unreachable", body.get("command"))
        answer = {"response_type": "ephemeral", "text": RETRY_LATER}
        return BoltResponse(
            status=200, body=json.dumps(answer), headers={"content-type": "application/json"}
        )
    log.warning("Slack %s refused with 503: database unreachable", body.get("type") or "request")
    return BoltResponse(status=503, body="", headers={"retry-after": "60"})


async def tell_to_retry(body: dict[str, Any], client: AsyncWebClient) -> None:
    """After the ack: tell the staff member privately that nothing was done."""
    event = body.get("event") if body.get("type") == "event_callback" else None
    if isinstance(event, dict) and event.get("channel") and event.get("user"):
        await _tell_in_conversation(client, event)
        return
    response_url = body.get("response_url") or next(
        (r.get("response_url") for r in body.get("response_urls") or [] if isinstance(r, dict)),
        None,
    )
    if not isinstance(response_url, str) or not response_url:
        log.error("Slack request failed on the database after its ack; no way to say so")
        return
    try:
        await AsyncWebhookClient(response_url).send(
            text=RETRY_LATER, response_type="ephemeral", replace_original=False
        )
    except Exception as exc:  # Slack unreachable too: the log is all that is left
        log.error("could not tell the staff member to retry: %s", type(exc).__name__)


async def _tell_in_conversation(client: AsyncWebClient, event: dict[str, Any]) -> None:
    channel, user = str(event["channel"]), str(event["user"])
    try:
        if event.get("channel_type") == "im":
            await client.chat_postMessage(channel=channel, text=RETRY_LATER)
        else:  # a mention in a channel: only the one who asked sees it
            await client.chat_postEphemeral(channel=channel, user=user, text=RETRY_LATER)
    except Exception as exc:  # Slack unreachable too: the log is all that is left
        log.error("could not tell the staff member to retry: %s", type(exc).__name__)

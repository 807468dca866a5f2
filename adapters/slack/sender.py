"""`SlackSender`: the outbox's way into Slack (staff alerts and cards posted to a channel)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from contextlib import nullcontext

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import cards
from core.replies import Permanent, RateLimited, Reply, SendOutcome, SendPace, Sent, Transient

log = logging.getLogger(__name__)

# Errors worth another try later; anything else Slack refuses (channel_not_found,
# not_in_channel, invalid_blocks, missing_scope, ...) will fail the same way every time.
_TRANSIENT = frozenset({"internal_error", "fatal_error", "service_unavailable", "request_timeout"})


def _retry_after(headers: object) -> float:
    # aiohttp hands over a CIMultiDictProxy, not a dict; any mapping will do.
    items = headers.items() if isinstance(headers, Mapping) else []
    for key, value in items:
        if str(key).lower() == "retry-after":
            value = value[0] if isinstance(value, list) else value
            try:
                return max(float(value), 0.0)
            except ValueError:
                break
    return 1.0


class SlackSender:
    """Posts a Reply to a Slack channel or thread; `Sent.ref` is "CHANNEL:ts" for later updates.

    The recipient is a channel id, or "CHANNEL:THREAD_TS" to reply in a thread. With a
    `pace`, each post waits for its channel's slot (Slack takes about one message a second
    per channel; the pace holds it for every replica together).
    """

    def __init__(self, client: AsyncWebClient, pace: SendPace | None = None) -> None:
        self.client = client
        self.pace = pace

    async def send(self, recipient: str, reply: Reply) -> SendOutcome:
        """chat.postMessage the reply as Block Kit; platform refusals become typed outcomes."""
        # "C123:1700000000.000100" addresses a thread (a hand-off conversation).
        channel, _, thread_ts = recipient.partition(":")
        kwargs = cards.render(reply)
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
        try:
            async with self.pace.turn(channel) if self.pace else nullcontext():
                response = await self.client.chat_postMessage(channel=channel, **kwargs)
        except SlackApiError as exc:
            return _refused(exc, recipient)
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            return Transient(f"slack unreachable: {type(exc).__name__}")
        return Sent(ref=f"{response['channel']}:{response['ts']}")

    async def send_image(
        self, recipient: str, image: bytes, *, filename: str, title: str, comment: str = ""
    ) -> SendOutcome:
        """Upload `image` to a channel (or "CHANNEL:THREAD_TS") with files.upload v2.

        `Sent.ref` is the file's id. The SDK asks for an upload URL, posts the bytes there
        and completes the upload with the channel, so a refusal can come from any step.
        """
        channel, _, thread_ts = recipient.partition(":")
        try:
            response = await self.client.files_upload_v2(
                channel=channel,
                file=image,
                filename=filename,
                title=title,
                initial_comment=comment or None,
                thread_ts=thread_ts or None,
            )
        except SlackApiError as exc:
            return _refused(exc, recipient)
        except SlackRequestError as exc:
            # The POST of the bytes to the upload URL was not answered 200.
            return Transient(f"slack upload failed: {exc}")
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            return Transient(f"slack unreachable: {type(exc).__name__}")
        file = response.get("file") or {}
        return Sent(ref=str(file.get("id") or ""))


def _refused(exc: SlackApiError, recipient: str) -> SendOutcome:
    """A Web API error as a typed outcome: rate limit, worth retrying, or final."""
    data = exc.response.data
    error = str(data.get("error") or "") if isinstance(data, dict) else ""
    status = exc.response.status_code
    if status == 429 or error == "ratelimited":
        return RateLimited(retry_after=_retry_after(exc.response.headers))
    if status >= 500 or error in _TRANSIENT:
        return Transient(f"slack {status} {error}".strip())
    log.warning("Slack refused a message to %s: %s", recipient, error or status)
    return Permanent(f"slack: {error or status}")


# The same mapping, for other Web API calls whose refusal is an outbox outcome (views.publish).
outcome_of_error = _refused

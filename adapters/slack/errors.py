"""Reading Slack API failures safely (a 4xx/5xx body is not always JSON)."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError


def slack_error(exc: SlackApiError) -> str:
    """Slack's error code ("not_in_channel"), or the HTTP status when the body had none."""
    data = exc.response.data
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return f"http_{exc.response.status_code}"

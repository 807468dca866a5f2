"""The Slack baseline: a bare slack-bolt app answering /wismo, as its own process.

    python -m bench.bolt_app --port 3000 --api-url http://127.0.0.1:N/api/

bolt's own AsyncApp with its own HTTP server (`app.start`, aiohttp), checking the
signature like any bolt app; the command is acknowledged, then answered with an
ephemeral message that repeats its text — the least a slash command can do.
"""

from __future__ import annotations

import argparse
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bench.processes import SLACK_SIGNING_SECRET, SLACK_TOKEN


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api-url", required=True)
    args = parser.parse_args()
    client = AsyncWebClient(token=SLACK_TOKEN, base_url=args.api_url)
    app = AsyncApp(client=client, signing_secret=SLACK_SIGNING_SECRET)

    @app.command("/wismo")
    async def wismo(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await client.chat_postEphemeral(
            channel=body["channel_id"], user=body["user_id"], text=body.get("text") or "?"
        )

    app.start(port=args.port, path="/slack/events")


if __name__ == "__main__":
    main()

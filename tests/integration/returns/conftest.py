"""The returns and hand-off tests reuse other owners' fixtures: the ingest tests' served app
(uvicorn on 127.0.0.1:0 with an API key), the Telegram tests' stand-in Bot API with the real
channel, and the Slack tests' stand-in Web API with wismo's app answering signed requests.
"""

from __future__ import annotations

from tests.integration.ingest.conftest import served
from tests.integration.slack.conftest import desk, slack_api
from tests.integration.telegram.conftest import botapi, shop, telegram

__all__ = ["botapi", "desk", "served", "shop", "slack_api", "telegram"]

"""The returns tests reuse other owners' fixtures: the ingest tests' served app (uvicorn on
127.0.0.1:0 with an API key) and the Telegram tests' stand-in Bot API with the real channel.
"""

from __future__ import annotations

from tests.integration.ingest.conftest import served
from tests.integration.telegram.conftest import botapi, shop, telegram

__all__ = ["botapi", "served", "shop", "telegram"]

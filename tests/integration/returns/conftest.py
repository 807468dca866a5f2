"""The returns API tests reuse the ingest tests' served app (uvicorn on 127.0.0.1:0, an API key)."""

from __future__ import annotations

from tests.integration.ingest.conftest import served

__all__ = ["served"]

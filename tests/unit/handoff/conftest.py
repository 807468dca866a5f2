"""Hand-off tests reuse the returns tests' small shop (customers, orders, chats)."""

from __future__ import annotations

from tests.unit.returns.conftest import config, shop

__all__ = ["config", "shop"]

"""The carrier sources the poll job asks, built from the settings, and their clean-up."""

from __future__ import annotations

from typing import Any

from adapters.carriers.aftership_client import AfterShipSource
from bot.settings import Settings
from core.runtime import Clock


def build_carrier_sources(settings: Settings, clock: Clock) -> dict[str, Any]:
    """`{"*": AfterShipSource}` when WISMO_AFTERSHIP_API_KEY is set, else nothing to poll.

    AfterShip tracks every carrier it knows, so it answers for any carrier ("*"). Its HTTP
    client is created on the first poll, not here.
    """
    if not settings.aftership_api_key:
        return {}
    return {
        "*": AfterShipSource(settings.aftership_api_key, settings.aftership_api_url, clock=clock)
    }


class CarrierClients:
    """A `wismo run` component that closes the sources' HTTP clients on shutdown."""

    name = "carrier-clients"

    def __init__(self, sources: dict[str, Any]) -> None:
        self.sources = sources

    async def start(self) -> None:
        """Nothing to open: clients connect on first use."""

    async def stop(self) -> None:
        for source in {id(s): s for s in self.sources.values()}.values():
            close = getattr(source, "aclose", None)
            if close is not None:
                await close()

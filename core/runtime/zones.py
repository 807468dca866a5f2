"""Time zones by name: the shop's, a shopper's, a parcel's — never fatal when unknown."""

from __future__ import annotations

import functools
import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger(__name__)


# ZoneInfo keeps only the 8 zones used last (and the others while something holds them):
# a shop's parcels go to more zones than that, and each miss read the zone's file again,
# on every answer about a parcel. The IANA database has about 600 names.
@functools.lru_cache(maxsize=1024)
def zone(name: str | None, fallback: str = "UTC") -> ZoneInfo:
    """The time zone called `name`, else `fallback` (an unknown name is logged, not fatal)."""
    for candidate in (name, fallback, "UTC"):
        if not candidate:
            continue
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            log.warning("unknown time zone %r; falling back", candidate)
    return ZoneInfo("UTC")

"""Which Slack channel each staff alert goes to (`WISMO_SLACK_ROUTES`).

    late=C0LATE,stuck:dhl=C0DHL,flag:ups=C0UPS,return=C0RETURNS,*:dhl=C0DHL

Each route is `kind[:carrier]=CHANNEL_ID`, separated by commas. A kind is a flag kind
(late, stuck, failed_attempt, exception, expired, invalid_tracking, delayed, damaged, lost,
wrong_item, address_problem, other), `flag` for every flag, `return` for return requests,
`digest` for the daily digest, or `*` for any alert. A carrier (as the shipment names it,
in any case) narrows a route to alerts about that carrier's parcels, so it applies to flags
only. The most specific route wins:

    kind:carrier, kind, flag:carrier, flag, *:carrier, *, then the alerts channel.
"""

from __future__ import annotations

import re

from core.runtime.config import CoreConfig
from core.staff.cards import FLAG_KIND_LABELS

ALERT_GROUPS = ("flag", "return", "digest", "*")
ROUTE_KINDS = frozenset({*FLAG_KIND_LABELS, *ALERT_GROUPS})
_CARRIER = re.compile(r"[a-z0-9][a-z0-9_.-]{0,39}")
# Public (C…) and private (G…) channel ids: upper-case letters and digits.
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,20}")


def parse_routes(text: str) -> tuple[tuple[str, str], ...]:
    """(`kind` or `kind:carrier`, channel id) for each route; ValueError saying what is wrong."""
    routes: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        key, equals, channel = (s.strip() for s in part.partition("="))
        if not equals or not key or not channel:
            raise ValueError(f"expected kind[:carrier]=CHANNEL_ID, got {part!r}")
        kind, colon, carrier = (s.strip() for s in key.lower().partition(":"))
        if kind not in ROUTE_KINDS:
            raise ValueError(
                f"unknown alert kind {kind!r} in {part!r}; expected one of "
                f"{', '.join(sorted(ROUTE_KINDS))}"
            )
        if colon:
            if not _CARRIER.fullmatch(carrier):
                raise ValueError(f"expected a carrier name after {kind!r}: in {part!r}")
            if kind in ("return", "digest"):
                raise ValueError(f"{kind!r} alerts have no carrier; drop ':{carrier}' in {part!r}")
        if not _CHANNEL_ID.fullmatch(channel):
            raise ValueError(f"expected a channel id such as C0123ABCD, got {channel!r}")
        key = f"{kind}:{carrier}" if colon else kind
        if key in routes and routes[key] != channel:
            raise ValueError(f"{key!r} is routed twice ({routes[key]} and {channel})")
        routes[key] = channel
    return tuple(routes.items())


def alert_channel(config: CoreConfig, kind: str, carrier: str | None = None) -> str | None:
    """The channel for an alert of `kind` (a flag kind, "return" or "digest"), or None.

    `carrier` is the carrier of the shipment a flag is about, if any.
    """
    routes = dict(config.slack_routes)
    group = "flag" if kind in FLAG_KIND_LABELS else None
    carrier = (carrier or "").strip().lower() or None
    candidates = [kind, group, "*"] if group else [kind, "*"]
    for candidate in candidates:
        if candidate is None:
            continue
        if carrier and f"{candidate}:{carrier}" in routes:
            return routes[f"{candidate}:{carrier}"]
        if candidate in routes:
            return routes[candidate]
    return config.slack_alerts_channel

"""Transit-time distributions from the shop's own deliveries, for predicted delivery windows.

Transit = delivered_at − hand-over (the shipment's `shipped_at`, else its `created_at`),
counted in whole hours: the database groups deliveries by (carrier, destination country,
postcode prefix, hour) so a year of history comes out as a few thousand rows, and the
quantiles are taken from those counts. A delivery in hour h stands for h + 0.5 hours.

Where a group is thin, a wider one answers: carrier + region → carrier + country →
carrier → every delivery of the shop (`MIN_SAMPLES` decides what "thin" is).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, cast, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.storage.models import Order, Shipment
from core.storage.sqltime import seconds_between

MIN_SAMPLES = 20
PREFIX_LENGTH = 2  # "10" of 10115 (Berlin), "SW" of SW1A: a region, not a street

S = Shipment.__table__.c  # type: ignore[attr-defined]
OD = Order.__table__.c  # type: ignore[attr-defined]

Key = tuple[str, ...]


def region_of(postcode: str | None) -> str:
    """The postcode prefix that stands for a delivery region ("" when there is none)."""
    cleaned = "".join(ch for ch in (postcode or "").upper() if ch.isalnum())
    return cleaned[:PREFIX_LENGTH]


def keys_for(carrier: str, country: str, region: str) -> list[Key]:
    """The groups to try for one shipment, narrowest first."""
    keys: list[Key] = []
    if country and region:
        keys.append((carrier, country.upper(), region))
    if country:
        keys.append((carrier, country.upper()))
    keys.append((carrier,))
    keys.append(())
    return keys


def describe_key(key: Key) -> str:
    """What a group is, for reports: "DHL to DE-10", "DHL to DE", "DHL", "all carriers"."""
    if len(key) == 3:
        return f"{key[0]} to {key[1]}-{key[2]}"
    if len(key) == 2:
        return f"{key[0]} to {key[1]}"
    if len(key) == 1:
        return key[0]
    return "all carriers"


@dataclass
class Distribution:
    """Counts of deliveries per whole transit hour."""

    counts: Counter[int] = field(default_factory=Counter)
    total: int = 0

    def add(self, hour: int, count: int = 1) -> None:
        """Count `count` deliveries that took `hour` whole hours."""
        self.counts[hour] += count
        self.total += count

    def remove(self, hour: int, count: int = 1) -> None:
        """Forget `count` deliveries that took `hour` hours (a sliding history)."""
        self.counts[hour] -= count
        if self.counts[hour] <= 0:
            del self.counts[hour]
        self.total -= count

    def quantile(self, q: float) -> float | None:
        """The q-quantile in hours (linear between ranks, as `core.insights.quantiles`)."""
        if self.total == 0:
            return None
        position = q * (self.total - 1)
        low_rank = int(position)
        fraction = position - low_rank
        low = self._value_at(low_rank)
        high = self._value_at(min(low_rank + 1, self.total - 1))
        return low + (high - low) * fraction

    def _value_at(self, rank: int) -> float:
        seen = 0
        for hour in sorted(self.counts):
            seen += self.counts[hour]
            if rank < seen:
                return hour + 0.5
        raise IndexError(rank)  # unreachable: rank < total


@dataclass
class TransitModel:
    """Distributions per group, with the narrowest-first fallback."""

    groups: dict[Key, Distribution] = field(default_factory=dict)
    min_samples: int = MIN_SAMPLES
    built_at: datetime | None = None

    def add(self, carrier: str, country: str, region: str, hour: int, count: int = 1) -> None:
        """Count deliveries in every group they belong to."""
        for key in keys_for(carrier, country, region):
            distribution = self.groups.get(key)
            if distribution is None:  # not setdefault: that builds a Distribution every call
                distribution = self.groups[key] = Distribution()
            distribution.add(hour, count)

    def remove(self, carrier: str, country: str, region: str, hour: int, count: int = 1) -> None:
        """Forget `count` deliveries from every group they were counted in."""
        for key in keys_for(carrier, country, region):
            self.groups[key].remove(hour, count)

    def distribution_for(
        self, carrier: str, country: str, region: str
    ) -> tuple[Key, Distribution] | None:
        """The narrowest group with enough deliveries, or None when even the shop has too few."""
        for key in keys_for(carrier, country, region):
            found = self.groups.get(key)
            if found is not None and found.total >= self.min_samples:
                return key, found
        return None

    @property
    def deliveries(self) -> int:
        """How many deliveries the model was built from."""
        return self.groups[()].total if () in self.groups else 0


def transit_hours_expression() -> Any:
    """Whole hours from hand-over to delivery, as SQL (integer division floors; both >= 0)."""
    handed_over = func.coalesce(S.shipped_at, S.created_at)
    return cast(seconds_between(S.delivered_at, handed_over), BigInteger) // 3600


async def build_model(
    session: AsyncSession,
    *,
    since: datetime,
    until: datetime,
    min_samples: int = MIN_SAMPLES,
    built_at: datetime | None = None,
) -> TransitModel:
    """A model from the shipments delivered in [since, until), grouped in the database."""
    hours = transit_hours_expression().label("hours")
    region = func.upper(func.substr(OD.ship_postcode, 1, PREFIX_LENGTH)).label("region")
    country = func.upper(OD.ship_country).label("country")
    statement = (
        select(S.carrier, country, region, hours, func.count())
        .join(Order, OD.id == S.order_id)  # type: ignore[arg-type]
        .where(S.delivered_at >= since, S.delivered_at < until)
        .group_by(S.carrier, country, region, hours)
    )
    rows = (await session.exec(statement)).all()  # type: ignore[call-overload]
    model = TransitModel(min_samples=min_samples, built_at=built_at)
    for carrier, country_code, region_code, hour, count in rows:
        if hour is None or hour < 0:  # delivered before it left: bad data, not a transit time
            continue
        model.add(carrier, country_code or "", region_of(region_code), int(hour), int(count))
    return model

"""Predicted delivery windows for parcels without a carrier ETA, from the shop's own history.

`await predicted_window(session, shipment, now=...)` answers "usually arrives between Tue
and Thu" for one shipment: the days on which the middle `COVERAGE` (80%) of comparable
deliveries arrived, counted from this parcel's hand-over (see `core.tracking.transit` for what
"comparable" means and how thin groups fall back to wider ones). It returns None when the
carrier gave an ETA (that always wins), when the parcel is delivered, when history is too
thin, or when the usual window has already passed — a stale promise is worse than none.
`describe_window` turns a window into the shopper's sentence.

The model is rebuilt from the database at most every `MODEL_TTL` per database, in the
background, so the hot "where is my order?" path pays one primary-key query, not a scan
of history.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from core.replies import messages
from core.runtime.zones import zone
from core.storage.models import Order, Shipment
from core.tracking.transit import Key, TransitModel, build_model, describe_key, region_of

log = logging.getLogger(__name__)

COVERAGE = (0.1, 0.9)  # the window holds the middle 80% of comparable deliveries
HISTORY = timedelta(days=180)
MODEL_TTL = timedelta(hours=6)

S = Shipment.__table__.c  # type: ignore[attr-defined]
OD = Order.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True)
class DeliveryWindow:
    """The local calendar days a parcel usually arrives on (inclusive)."""

    earliest: date
    latest: date
    timezone: str
    basis: Key  # the group of past deliveries it came from
    samples: int

    @property
    def basis_label(self) -> str:
        """Which deliveries the window came from ("DHL to DE-10", "all carriers")."""
        return describe_key(self.basis)

    def contains(self, when: datetime) -> bool:
        """Did a delivery at `when` land inside the window (in the window's time zone)?"""
        return self.earliest <= when.astimezone(ZoneInfo(self.timezone)).date() <= self.latest


def window_from(
    model: TransitModel,
    *,
    carrier: str,
    country: str,
    postcode: str,
    handed_over: datetime,
    timezone: str,
) -> DeliveryWindow | None:
    """The usual delivery days for a parcel handed over at `handed_over`; None if no history."""
    found = model.distribution_for(carrier, (country or "").upper(), region_of(postcode))
    if found is None:
        return None
    key, distribution = found
    low = distribution.quantile(COVERAGE[0])
    high = distribution.quantile(COVERAGE[1])
    if low is None or high is None:
        return None
    tz = ZoneInfo(timezone)
    return DeliveryWindow(
        earliest=(handed_over + timedelta(hours=low)).astimezone(tz).date(),
        latest=(handed_over + timedelta(hours=high)).astimezone(tz).date(),
        timezone=timezone,
        basis=key,
        samples=distribution.total,
    )


class _HasId(Protocol):
    id: Any


class ModelCache:
    """One transit model per database, rebuilt when older than `ttl` (by the caller's clock).

    A rebuild is a scan of half a year of deliveries (seconds on a big shop), so by default
    it runs in the background: the caller gets the previous model meanwhile — or, on a
    cold start, no model and so no prediction for those few seconds. `background=False`
    builds in the caller's session instead (scripts, tests).
    """

    def __init__(self, ttl: timedelta = MODEL_TTL, *, background: bool = True) -> None:
        self.ttl = ttl
        self.background = background
        self._models: dict[str, TransitModel] = {}
        self._building: dict[str, asyncio.Task[None]] = {}

    async def get(self, session: AsyncSession, now: datetime) -> TransitModel | None:
        """The model for the session's database; a stale or missing one starts a rebuild."""
        bind: Any = session.bind  # an engine, or a connection of one
        engine = bind if isinstance(bind, AsyncEngine) else getattr(bind, "engine", None)
        key = str(getattr(bind, "url", None) or getattr(getattr(bind, "engine", None), "url", ""))
        model = self._models.get(key)
        if model is not None and model.built_at is not None and now - model.built_at < self.ttl:
            return model
        if not self.background or engine is None:
            model = await build_model(session, since=now - HISTORY, until=now, built_at=now)
            self._models[key] = model
            return model
        if key not in self._building:
            self._building[key] = asyncio.create_task(self._rebuild(key, engine, now))
        return model

    async def _rebuild(self, key: str, engine: AsyncEngine, now: datetime) -> None:
        try:
            async with AsyncSession(engine) as session:
                self._models[key] = await build_model(
                    session, since=now - HISTORY, until=now, built_at=now
                )
        except Exception:  # the next question tries again; predictions are optional
            log.exception("building the transit model failed")
        finally:
            self._building.pop(key, None)

    async def wait(self) -> None:
        """Until every rebuild in flight has finished."""
        while self._building:
            await asyncio.gather(*self._building.values())

    def clear(self) -> None:
        """Forget every model (the next call rebuilds)."""
        self._models.clear()


# Shared by every caller in the process: building a model is a scan of history, and a
# model six hours old predicts as well as a fresh one.
default_cache = ModelCache()


async def predicted_window(
    session: AsyncSession,
    shipment: int | _HasId,
    *,
    now: datetime,
    timezone: str = "UTC",
    cache: ModelCache | None = None,
) -> DeliveryWindow | None:
    """The usual delivery window of a shipment (a Shipment, a view with `.id`, or an id).

    None when the carrier's ETA exists (prefer it), the parcel is delivered, there is too
    little history, or the window is already over. Dates are in the delivery address's
    time zone when the order has one, else in `timezone` (the shop's).
    """
    shipment_id = shipment if isinstance(shipment, int) else shipment.id
    row = (
        await session.exec(  # type: ignore[call-overload]
            select(
                S.carrier,
                S.eta,
                S.delivered_at,
                S.shipped_at,
                S.created_at,
                OD.ship_country,
                OD.ship_postcode,
                OD.ship_timezone,
            )
            .join(Order, OD.id == S.order_id)  # type: ignore[arg-type]
            .where(S.id == shipment_id)
        )
    ).first()
    if row is None:
        return None
    carrier, eta, delivered_at, shipped_at, created_at, country, postcode, ship_tz = row
    if eta is not None or delivered_at is not None:
        return None
    model = await (cache or default_cache).get(session, now)
    if model is None:
        return None  # the first model of this process is still being built
    return window_for(
        model,
        carrier=carrier,
        country=country,
        postcode=postcode,
        handed_over=shipped_at or created_at,
        now=now,
        timezone=zone(ship_tz, timezone).key,
    )


def window_for(
    model: TransitModel,
    *,
    carrier: str,
    country: str,
    postcode: str,
    handed_over: datetime,
    now: datetime,
    timezone: str,
) -> DeliveryWindow | None:
    """The window still ahead of a parcel in transit, from values the caller already has
    (the tracking view reads them with the order, so the hot path adds no query).

    Days before today are cut off; None when the whole window is over or history is thin.
    """
    window = window_from(
        model,
        carrier=carrier,
        country=country,
        postcode=postcode,
        handed_over=handed_over,
        timezone=timezone,
    )
    if window is None:
        return None
    today = now.astimezone(ZoneInfo(timezone)).date()
    if window.latest < today:
        return None  # later than usual: say nothing rather than promise a day gone by
    if window.earliest < today:
        window = DeliveryWindow(today, window.latest, timezone, window.basis, window.samples)
    return window


def describe_window(window: DeliveryWindow, now: datetime, locale: str | None = None) -> str:
    """The shopper's sentence: "Usually arrives between Tue and Thu" (or "... tomorrow")."""
    today = now.astimezone(ZoneInfo(window.timezone)).date()
    if window.earliest == window.latest:
        return messages.text(
            "eta.predicted_day", locale, day=_day(window.earliest, today, locale, on=True)
        )
    return messages.text(
        "eta.predicted",
        locale,
        first=_day(window.earliest, today, locale),
        last=_day(window.latest, today, locale),
    )


def _day(day: date, today: date, locale: str | None, *, on: bool = False) -> str:
    """ "today", "tomorrow", a weekday within the coming week, else "Thu 12 Nov"."""
    delta = (day - today).days
    if delta == 0:
        return messages.text("date.today", locale)
    if delta == 1:
        return messages.text("date.tomorrow", locale)
    if 0 < delta < 7:
        words = messages.text("date.weekdays", locale).split()[day.weekday()]
    else:
        months = messages.text("date.months", locale).split()
        words = messages.text(
            "date.day",
            locale,
            weekday=messages.text("date.weekdays", locale).split()[day.weekday()],
            day=day.day,
            month=months[day.month - 1],
        )
    return messages.text("date.on_day", locale, day=words) if on else words

"""Predicted delivery windows on the tracking view, for parcels the carrier gave no ETA.

Kept apart from core.tracking.lookup's queries: the view already carries what a prediction
needs (carrier, hand-over time, destination), and the transit model lives in memory
(core.tracking.prediction.ModelCache), so on the hot "where is my order?" path this adds no
statement at all once the model is built. Which parcels want a window, and whether it is
shown, is core.tracking.estimate's decision.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.runtime import zones
from core.tracking.estimate import wants_window
from core.tracking.prediction import ModelCache, default_cache, window_for
from core.tracking.views import OrderView


async def with_predictions(
    session: AsyncSession,
    view: OrderView,
    *,
    now: datetime,
    timezone: str = "UTC",
    cache: ModelCache | None = None,
) -> OrderView:
    """`view` with `ShipmentView.predicted` filled where the carrier gave no ETA.

    Dates are in the delivery address's zone, else `timezone` (the shop's). Unchanged
    when the order is finished, every parcel has an ETA, or no model is built yet (the
    first one of the process builds in the background).
    """
    zone = zones.zone(view.timezone, timezone)
    if view.is_finished or not any(wants_window(s, now=now, tz=zone) for s in view.shipments):
        return view
    model = await (cache or default_cache).get(session, now)
    if model is None:
        return view
    zone_name = zone.key
    shipments = []
    for shipment in view.shipments:
        if wants_window(shipment, now=now, tz=zone):
            assert shipment.handed_over is not None
            window = window_for(
                model,
                carrier=shipment.carrier_code,
                country=view.ship_country,
                postcode=view.ship_postcode,
                handed_over=shipment.handed_over,
                now=now,
                timezone=zone_name,
            )
            shipment = replace(shipment, predicted=window)
        shipments.append(shipment)
    return replace(view, shipments=tuple(shipments))

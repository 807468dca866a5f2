"""`TrackingUpdate`: one carrier event in wismo's words, checked before anything is written.

Every source builds these; `core.ingest.updates` applies them and `core.ingest.events`
stores them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from core.ingest.storable import value_problem
from core.tracking.statuses import ShipmentStatus

# Column sizes (core.storage.models) — checked up front so bad input fails before any write.
_LIMITS = {
    "source": 64,
    "source_event_id": 200,
    "tracking_number": 128,
    "raw_status": 128,
    "substatus": 64,
    "location": 200,
    "carrier": 64,
}
_TEXT_LIMIT = 500


class BadTrackingUpdate(ValueError):
    """A tracking update that cannot be stored as given; the message names the field."""


@dataclass(frozen=True)
class TrackingUpdate:
    """One carrier event in wismo's words. `status` None means the source's code is unknown."""

    source: str
    source_event_id: str
    tracking_number: str
    status: ShipmentStatus | None
    occurred_at: datetime
    raw_status: str | None = None
    substatus: str | None = None
    location: str | None = None
    text: str = ""
    eta: datetime | None = None
    carrier: str | None = None

    def __post_init__(self) -> None:
        for name in ("source", "source_event_id", "tracking_number"):
            if not str(getattr(self, name) or "").strip():
                raise BadTrackingUpdate(f"{name} is required")
        for name, limit in _LIMITS.items():
            value = getattr(self, name)
            if value is not None and len(value) > limit:
                raise BadTrackingUpdate(f"{name} is longer than {limit} characters")
        if len(self.text) > _TEXT_LIMIT:
            raise BadTrackingUpdate(f"text is longer than {_TEXT_LIMIT} characters")
        if self.status is not None and not isinstance(self.status, ShipmentStatus):
            raise BadTrackingUpdate(f"status {self.status!r} is not one of the nine tags")
        for field in fields(self):
            problem = value_problem(getattr(self, field.name))
            if problem:
                raise BadTrackingUpdate(f"{field.name} {problem}")

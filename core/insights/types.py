"""What an insights report is made of: plain, frozen dataclasses (see `core.insights.report`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from core.insights.prediction_accuracy import Accuracy

HOUR = 3600.0
WISMO_INTENTS = frozenset({"track_order", "list_orders"})
STAGES: tuple[tuple[str, str], ...] = (
    ("placed_to_processing", "Placed → processing"),
    ("processing_to_shipped", "Processing → shipped"),
    ("shipped_to_first_scan", "Shipped → first scan"),
    ("first_scan_to_delivered", "First scan → delivered"),
)
STAGE_LABELS = dict(STAGES)


def rate(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide by."""
    return part / whole if whole else None


@dataclass(frozen=True)
class StageDuration:
    stage: str
    label: str
    count: int
    p50_hours: float | None
    p90_hours: float | None


@dataclass(frozen=True)
class OnTime:
    delivered: int
    with_promise: int
    on_time: int
    late: int
    rate: float | None  # on_time / with_promise


def on_time_of(delivered: int, with_promise: int, on_time: int) -> OnTime:
    """The on-time figures from the three counts."""
    return OnTime(
        delivered, with_promise, on_time, with_promise - on_time, rate(on_time, with_promise)
    )


@dataclass(frozen=True)
class CarrierRow:
    carrier: str
    on_time: OnTime
    first_scan_p50_hours: float | None  # shipped → first scan
    transit_p50_hours: float | None  # first scan → delivered
    transit_p90_hours: float | None
    exceptions: int
    stuck_now: int


@dataclass(frozen=True)
class WeekRow:
    week_start: date  # a Monday (UTC)
    delivered: int
    on_time_rate: float | None
    stage_p50_hours: dict[str, float | None]


@dataclass(frozen=True)
class ReturnStats:
    delivered_orders: int
    returned_orders: int
    rate: float | None
    reasons: dict[str, int]


@dataclass(frozen=True)
class QuestionStats:
    asked: int
    answered_by_bot: int
    self_service_rate: float | None
    wismo: int  # "where is my order?" questions (track an order, list my orders)
    by_intent: dict[str, int]


@dataclass(frozen=True)
class PushStats:
    sent: int
    failed: int
    waiting: int  # pending or being sent
    cancelled: int
    failure_rate: float | None  # failed / (sent + failed)
    staff_alerts_sent: int
    staff_alerts_failed: int


@dataclass(frozen=True)
class InsightsReport:
    since: datetime
    until: datetime
    carrier: str | None
    on_time: OnTime
    stages: list[StageDuration]
    bottleneck: str | None  # a stage key of STAGES
    exceptions: dict[str, int]
    flags_open: int
    stuck_now: int
    returns: ReturnStats
    questions: QuestionStats
    pushes: PushStats
    carriers: list[CarrierRow]
    weeks: list[WeekRow]
    prediction: Accuracy | None = None  # the backtest of predicted windows, when asked for

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe form: datetimes and dates as ISO 8601, hours as floats."""
        return _jsonable(asdict(self))

    @property
    def bottleneck_label(self) -> str | None:
        """The slowest stage as people read it ("First scan → delivered")."""
        return STAGE_LABELS.get(self.bottleneck) if self.bottleneck else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    return value

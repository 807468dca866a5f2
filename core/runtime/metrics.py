"""Counters and timings the core reports where things happen, without knowing who collects them.

The core calls the small functions below (`question_answered`, `push_outcome`,
`dispatch_lag`, ...); the application installs a sink at start (`bot.metrics` turns them
into Prometheus metrics served on `/metrics`). With no sink installed every call is a
cheap no-op, so unit tests and scripts need nothing. A failing sink is logged and never
breaks the work that reported the figure.

Every metric is declared once here as a `MetricSpec` (name, kind, help, label names), so
the collector can create them up front and a typo in a label name is a test failure, not
a silent new series.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal, Protocol

log = logging.getLogger(__name__)

Kind = Literal["counter", "histogram"]

# Seconds; covers a fast in-process reply up to a push that waited out quiet hours.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
LAG_BUCKETS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0, 14400.0, 43200.0)


@dataclass(frozen=True)
class MetricSpec:
    """One metric: Prometheus-style name (counters without `_total`), kind, help, labels."""

    name: str
    kind: Kind
    help: str
    labels: tuple[str, ...]
    buckets: tuple[float, ...] = LATENCY_BUCKETS


QUESTIONS = MetricSpec(
    "wismo_questions",
    "counter",
    "Shopper messages and button presses handled, by channel and intent.",
    ("channel", "intent"),
)
ANSWERS = MetricSpec(
    "wismo_answers",
    "counter",
    "Shopper questions answered, by who answered (bot or person).",
    ("channel", "by"),
)
REPLY_SECONDS = MetricSpec(
    "wismo_reply_seconds",
    "histogram",
    "Time the core took to answer one inbound message.",
    ("channel",),
)
PUSHES = MetricSpec(
    "wismo_pushes",
    "counter",
    "Push send attempts, by channel and outcome (sent, blocked, rate_limited, transient, "
    "permanent, failed when attempts ran out).",
    ("channel", "outcome"),
)
DISPATCH_LAG = MetricSpec(
    "wismo_dispatch_lag_seconds",
    "histogram",
    "Seconds between a push becoming due and being sent.",
    ("channel",),
    LAG_BUCKETS,
)
TRACKING_UPDATES = MetricSpec(
    "wismo_tracking_updates",
    "counter",
    "Tracking updates received, by source and result (applied, duplicate, unknown_status, "
    "unknown_shipment).",
    ("source", "result"),
)
FLAGS_RAISED = MetricSpec(
    "wismo_flags_raised",
    "counter",
    "Flags raised, by kind and source (detector, staff, shopper).",
    ("kind", "source"),
)

ALL_METRICS: tuple[MetricSpec, ...] = (
    QUESTIONS,
    ANSWERS,
    REPLY_SECONDS,
    PUSHES,
    DISPATCH_LAG,
    TRACKING_UPDATES,
    FLAGS_RAISED,
)


class MetricsSink(Protocol):
    """Where figures go; `bot.metrics.PrometheusSink` is the real one."""

    def increment(self, spec: MetricSpec, amount: float, labels: dict[str, str]) -> None:
        """Add `amount` to a counter."""
        ...

    def observe(self, spec: MetricSpec, value: float, labels: dict[str, str]) -> None:
        """Record one observation in a histogram."""
        ...


class _NoSink:
    def increment(self, spec: MetricSpec, amount: float, labels: dict[str, str]) -> None:
        """Discard."""

    def observe(self, spec: MetricSpec, value: float, labels: dict[str, str]) -> None:
        """Discard."""


_sink: MetricsSink = _NoSink()


def install(sink: MetricsSink) -> None:
    """Send every figure the core reports from now on to `sink` (the application does this)."""
    global _sink
    _sink = sink


def uninstall() -> None:
    """Go back to discarding figures."""
    global _sink
    _sink = _NoSink()


def _check(spec: MetricSpec, labels: dict[str, str]) -> bool:
    if tuple(sorted(labels)) != tuple(sorted(spec.labels)):
        log.error("metric %s reported with labels %s, expected %s", spec.name, labels, spec.labels)
        return False
    return True


def increment(spec: MetricSpec, amount: float = 1.0, **labels: str) -> None:
    """Add `amount` to the counter `spec` with these labels."""
    if spec.kind != "counter" or not _check(spec, labels):
        return
    try:
        _sink.increment(spec, amount, labels)
    except Exception:  # a figure must never break the work it describes
        log.exception("metrics sink failed on %s", spec.name)


def observe(spec: MetricSpec, value: float, **labels: str) -> None:
    """Record `value` in the histogram `spec` with these labels."""
    if spec.kind != "histogram" or not _check(spec, labels):
        return
    try:
        _sink.observe(spec, value, labels)
    except Exception:
        log.exception("metrics sink failed on %s", spec.name)


@contextmanager
def timed(spec: MetricSpec, **labels: str) -> Iterator[None]:
    """Observe the wall time of the `with` block in the histogram `spec`."""
    started = time.perf_counter()
    try:
        yield
    finally:
        observe(spec, time.perf_counter() - started, **labels)


def question_answered(channel: str, intent: str, *, answered_by_bot: bool) -> None:
    """One shopper question handled. `bot.metrics` calls this for every InboundLog row
    written, so the conversation need not (calling it too would count twice)."""
    increment(QUESTIONS, channel=channel, intent=intent)
    increment(ANSWERS, channel=channel, by="bot" if answered_by_bot else "person")


def push_outcome(channel: str, outcome: str) -> None:
    """One push attempt ended with `outcome` (sent, blocked, rate_limited, transient, ...)."""
    increment(PUSHES, channel=channel, outcome=outcome)


def dispatch_lag(channel: str, seconds: float) -> None:
    """A push was sent `seconds` after it became due (`sent_at - not_before`)."""
    observe(DISPATCH_LAG, max(0.0, seconds), channel=channel)


def tracking_update(source: str, result: str) -> None:
    """One tracking update from `source` ended as `result` (applied, duplicate, ...)."""
    increment(TRACKING_UPDATES, source=source, result=result)


def flag_raised(kind: str, source: str) -> None:
    """A flag of `kind` was raised by `source` (detector, staff, shopper)."""
    increment(FLAGS_RAISED, kind=kind, source=source)

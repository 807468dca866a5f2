"""Prometheus metrics: the core's figures (core.runtime.metrics), HTTP latency, and database gauges.

`Metrics` owns one `CollectorRegistry` per service (not the global one, so tests and
several apps in one process never collide). `MetricsComponent` installs it as the core's
sink while `wismo run` runs; `install_http(app, services)` adds the request-latency
middleware and `GET /metrics`. Gauges that describe the database (open flags, the outbox
backlog and how overdue its oldest push is) are read at scrape time, so every replica
reports the same truth.
"""

from __future__ import annotations

import time
from datetime import UTC
from typing import Any

from fastapi import FastAPI, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy import event, func, select

from core.runtime import Clock
from core.runtime import metrics as core_metrics
from core.storage import Database, Flag, InboundLog, Notification

FLAGS = Flag.__table__.c  # type: ignore[attr-defined]
OUTBOX = Notification.__table__.c  # type: ignore[attr-defined]


class PrometheusSink:
    """The core's metrics hook, backed by prometheus_client metrics in one registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self._counters: dict[str, Counter] = {}
        self._histograms: dict[str, Histogram] = {}
        for spec in core_metrics.ALL_METRICS:
            if spec.kind == "counter":
                self._counters[spec.name] = Counter(
                    spec.name, spec.help, spec.labels, registry=registry
                )
            else:
                self._histograms[spec.name] = Histogram(
                    spec.name, spec.help, spec.labels, buckets=spec.buckets, registry=registry
                )

    def increment(
        self, spec: core_metrics.MetricSpec, amount: float, labels: dict[str, str]
    ) -> None:
        self._counters[spec.name].labels(**labels).inc(amount)

    def observe(self, spec: core_metrics.MetricSpec, value: float, labels: dict[str, str]) -> None:
        self._histograms[spec.name].labels(**labels).observe(value)


class Metrics:
    """Every metric `/metrics` serves, in a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.sink = PrometheusSink(self.registry)
        self.request_seconds = Histogram(
            "wismo_http_request_seconds",
            "HTTP request latency by method, route template and status code.",
            ("method", "route", "status"),
            buckets=core_metrics.LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.flags_open = Gauge(
            "wismo_flags_open", "Flags open now, by kind.", ("kind",), registry=self.registry
        )
        self.outbox_waiting = Gauge(
            "wismo_outbox_waiting",
            "Pushes waiting to be sent (pending or claimed), by channel.",
            ("channel",),
            registry=self.registry,
        )
        self.outbox_overdue = Gauge(
            "wismo_outbox_oldest_due_seconds",
            "How long the oldest due, unsent push has been waiting (0 when none); the live "
            "dispatch lag.",
            registry=self.registry,
        )

    async def refresh(self, database: Database, clock: Clock) -> None:
        """Read the database gauges (two grouped queries on indexed columns)."""
        now = clock.now()
        async with database.session() as session:
            flags = (
                await session.exec(  # type: ignore[call-overload]
                    select(FLAGS.kind, func.count())
                    .where(FLAGS.state == "open")
                    .group_by(FLAGS.kind)
                )
            ).all()
            outbox = (
                await session.exec(  # type: ignore[call-overload]
                    select(OUTBOX.channel, func.count(), func.min(OUTBOX.not_before))
                    .where(OUTBOX.state.in_(("pending", "claimed")))
                    .group_by(OUTBOX.channel)
                )
            ).all()
        self.flags_open.clear()  # a kind with no open flag left must read 0, not its old value
        for kind, count in flags:
            self.flags_open.labels(kind=kind).set(count)
        self.outbox_waiting.clear()
        oldest_due = 0.0
        for channel, count, earliest in outbox:
            self.outbox_waiting.labels(channel=channel).set(count)
            if earliest is not None and earliest.tzinfo is None:
                earliest = earliest.replace(tzinfo=UTC)  # in case a driver skips the type
            if earliest is not None and earliest <= now:
                oldest_due = max(oldest_due, (now - earliest).total_seconds())
        self.outbox_overdue.set(oldest_due)

    def render(self) -> bytes:
        """The registry in the Prometheus text format."""
        return generate_latest(self.registry)


def _count_question(_mapper: Any, _connection: Any, row: InboundLog) -> None:
    core_metrics.question_answered(row.channel, row.intent, answered_by_bot=row.answered_by_bot)


class MetricsComponent:
    """Routes the core's figures to this service's registry while `wismo run` runs.

    Questions and answers are counted where they are recorded: every InboundLog row the
    conversation writes (an ORM insert) passes through `_count_question`, so no channel
    has to remember to report them.
    """

    name = "metrics"

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def start(self) -> None:
        core_metrics.install(self.metrics.sink)
        if not event.contains(InboundLog, "after_insert", _count_question):
            event.listen(InboundLog, "after_insert", _count_question)

    async def stop(self) -> None:
        if event.contains(InboundLog, "after_insert", _count_question):
            event.remove(InboundLog, "after_insert", _count_question)
        core_metrics.uninstall()


class TimedRequests:
    """Pure ASGI middleware: each HTTP request's latency by method, route template and status.

    Not Starlette's BaseHTTPMiddleware (`@app.middleware("http")`), which runs the app in a
    task group behind memory streams: that cost ~10 % of the webhook's CPU in a profile.
    """

    def __init__(self, app: Any, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = scope.get("route")
            # The template ("/api/v1/orders/{number}"), never the raw path: bounded labels.
            template = getattr(route, "path", None) or "unmatched"
            self.metrics.request_seconds.labels(scope["method"], template, str(status)).observe(
                time.perf_counter() - started
            )


def install_http(app: FastAPI, services: Any) -> None:
    """Time every request and serve GET /metrics for `services.metrics`."""
    metrics: Metrics = services.metrics
    app.add_middleware(TimedRequests, metrics=metrics)

    @app.get("/metrics", tags=["health"], include_in_schema=False)
    async def metrics_endpoint() -> Response:
        """Prometheus metrics in the text exposition format."""
        await metrics.refresh(services.database, services.clock)
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)

"""Insights for the daily staff digest: the headline numbers, and the chart as an image.

Two ways to use it from the scheduler's daily job (run once across replicas, under its
lock):
- `post_digest(database, clock, sender, channel)` measures the last week, sends the
  numbers (`digest_reply`) and then the chart;
- a digest that already goes out another way (core.staff.digest, through the outbox) adds
  `headline_fields(report)` to its card and calls `post_chart(...)` for the image.
Images go through `ImageSender.send_image`, which the Slack sender implements with
files.upload v2; a sender without it still gets the numbers, and no chart is drawn.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from core.insights import rollups
from core.insights.chart import chart_png
from core.insights.report import build_report
from core.insights.types import InsightsReport
from core.pushes.stats import worker_name
from core.replies.reply import KeyValue, Reply, Section
from core.replies.sender import Sender, SendOutcome, Sent
from core.runtime.clock import Clock
from core.storage.db import Database

log = logging.getLogger(__name__)


@runtime_checkable
class ImageSender(Protocol):
    """A sender that can also post an image (PNG bytes) to a recipient."""

    async def send_image(
        self, recipient: str, image: bytes, *, filename: str, title: str, comment: str = ""
    ) -> SendOutcome:
        """Upload `image` to `recipient` with a title and an optional comment."""
        ...


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _hours(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f} h" if value < 48 else f"{value / 24:.1f} days"


def headline_fields(report: InsightsReport) -> list[KeyValue]:
    """The headline numbers of `report` as labelled fields (for any staff card)."""
    on_time = report.on_time
    bottleneck = next((s for s in report.stages if s.stage == report.bottleneck), None)
    questions = report.questions
    pushes = report.pushes
    top_exceptions = ", ".join(f"{kind} {n}" for kind, n in list(report.exceptions.items())[:4])
    fields = [
        KeyValue(
            "On time",
            f"{_percent(on_time.rate)} of {on_time.with_promise} with a promised date "
            f"({on_time.late} late)",
        ),
        KeyValue(
            "Slowest stage",
            f"{bottleneck.label}: median {_hours(bottleneck.p50_hours)}, "
            f"p90 {_hours(bottleneck.p90_hours)}"
            if bottleneck
            else "–",
        ),
        KeyValue("Stuck now", str(report.stuck_now)),
        KeyValue("Open flags", str(report.flags_open)),
        KeyValue("New exceptions", top_exceptions or "none"),
        KeyValue(
            "Questions",
            f"{questions.asked} ({questions.wismo} where-is-my-order), "
            f"{_percent(questions.self_service_rate)} answered by the bot",
        ),
        KeyValue(
            "Pushes",
            f"{pushes.sent} sent, {pushes.failed} failed ({_percent(pushes.failure_rate)})",
        ),
        KeyValue(
            "Returns",
            f"{_percent(report.returns.rate)} of {report.returns.delivered_orders} delivered "
            "orders",
        ),
    ]
    return fields


def digest_reply(report: InsightsReport, *, shop_name: str = "") -> Reply:
    """The headline numbers of `report` for staff (Slack), as a channel-neutral Reply."""
    days = max(1, round((report.until - report.since) / timedelta(days=1)))
    title = f"{shop_name + ': ' if shop_name else ''}the last {days} days in numbers"
    carriers = "\n".join(
        f"{row.carrier}: {_percent(row.on_time.rate)} on time, transit median "
        f"{_hours(row.transit_p50_hours)}, {row.stuck_now} stuck"
        for row in report.carriers
    )
    sections = [Section(title=title, fields=headline_fields(report))]
    if carriers:
        sections.append(Section(title="By carrier", text=carriers))
    return Reply(sections=sections, intent="digest")


@dataclass(frozen=True)
class DigestResult:
    report: InsightsReport
    message: SendOutcome
    image: SendOutcome | None  # None when the sender cannot upload images


async def post_digest(
    database: Database,
    clock: Clock,
    sender: Sender,
    channel: str,
    *,
    period: timedelta = timedelta(days=7),
    stuck_after: timedelta = timedelta(hours=72),
    shop_name: str = "",
) -> DigestResult:
    """Measure the last `period`, post the numbers to `channel`, then the chart image."""
    now = clock.now()
    await rollups.refresh(database, clock, holder=worker_name())
    async with database.session() as session:
        report = await build_report(
            session, now=now, since=now - period, until=now, stuck_after=stuck_after
        )
    message = await sender.send(channel, digest_reply(report, shop_name=shop_name))
    image: SendOutcome | None = None
    if isinstance(message, Sent):
        image = await send_chart(sender, channel, report, now)
    else:
        log.warning("daily digest to %s not sent: %s", channel, message)
    return DigestResult(report=report, message=message, image=image)


async def send_chart(
    sender: Sender, channel: str, report: InsightsReport, now: datetime
) -> SendOutcome | None:
    """Upload the chart of `report` to `channel`; None when the sender cannot post images."""
    if not isinstance(sender, ImageSender):
        return None
    return await sender.send_image(
        channel,
        chart_png(report),
        filename=f"wismo-insights-{now:%Y-%m-%d}.png",
        title="Stage durations and on-time rate per week",
    )


async def post_chart(
    database: Database,
    clock: Clock,
    sender: Sender,
    channel: str,
    *,
    period: timedelta = timedelta(days=28),
    stuck_after: timedelta = timedelta(hours=72),
) -> SendOutcome | None:
    """Only the chart, for a digest whose numbers went another way (e.g. the outbox).

    Measures the last `period` (four weeks by default, so the weekly trend has points) and
    uploads the PNG; None when the sender cannot post images.
    """
    if not isinstance(sender, ImageSender):
        return None
    now = clock.now()
    await rollups.refresh(database, clock, holder=worker_name())
    async with database.session() as session:
        report = await build_report(
            session, now=now, since=now - period, until=now, stuck_after=stuck_after
        )
    return await send_chart(sender, channel, report, now)

"""The insights chart: median stage durations and on-time rate per week, as a PNG.

matplotlib is imported when a chart is drawn, not with this module: a running service
that never draws one does not carry it in memory. The object-oriented API (`Figure`
plus the Agg canvas) keeps no global pyplot state, so charts can be drawn from any thread.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from core.insights.types import STAGES, InsightsReport

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOURS = ("#4c72b0", "#dd8452", "#55a868", "#c44e52")


def chart_png(report: InsightsReport, *, title: str | None = None, dpi: int = 100) -> bytes:
    """A two-panel PNG: stage p50 in hours per week (top), on-time rate per week (bottom)."""
    figure = chart_figure(report, title=title, dpi=dpi)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def chart_figure(report: InsightsReport, *, title: str | None = None, dpi: int = 100) -> Figure:
    """The chart as a matplotlib Figure: every bar and point carries its value as a label."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9, 6.5), dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)
    stages_axes, on_time_axes = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    weeks = [w.week_start.strftime("%d %b") for w in report.weeks]
    positions = list(range(len(weeks)))
    _stage_bars(stages_axes, report, positions)
    _on_time_line(on_time_axes, report, positions)
    on_time_axes.set_xticks(positions, weeks)
    on_time_axes.set_xlabel("Week starting (UTC)")
    scope = report.carrier or "all carriers"
    figure.suptitle(
        title or f"Fulfilment, {report.since:%d %b} – {report.until:%d %b %Y} ({scope})"
    )
    return figure


def bar_label(hours: float) -> str:
    """A bar's value as read on the chart: '0.4 h', '35 h', '2.5 d'; nothing for an empty bar."""
    if hours <= 0:
        return ""
    if hours < 10:
        return f"{hours:.1f} h"
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.1f} d"


def _stage_bars(axes: Axes, report: InsightsReport, positions: list[int]) -> None:
    width = 0.8 / len(STAGES)
    tallest = 0.0
    for index, (key, label) in enumerate(STAGES):
        values = [w.stage_p50_hours.get(key) or 0.0 for w in report.weeks]
        offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
        bars = axes.bar(offsets, values, width=width, label=label, color=_COLOURS[index])
        axes.bar_label(bars, labels=[bar_label(v) for v in values], fontsize="x-small",
                       padding=2)  # fmt: skip
        tallest = max([tallest, *values])
    axes.set_ylim(0, (tallest or 1.0) * 1.35)  # headroom for the legend above the bars
    axes.set_ylabel("Median hours")
    axes.set_title("Time in each stage (median)", loc="left", fontsize="medium")
    axes.legend(loc="upper left", fontsize="small", ncols=2)
    axes.grid(axis="y", alpha=0.3)


def _on_time_line(axes: Axes, report: InsightsReport, positions: list[int]) -> None:
    points = [
        (p, w.on_time_rate * 100) for p, w in zip(positions, report.weeks, strict=True)
        if w.on_time_rate is not None
    ]  # fmt: skip
    if points:
        xs, ys = zip(*points, strict=True)
        axes.plot(xs, ys, marker="o", color="#2a9d8f")
        for x, y in points:
            axes.annotate(f"{y:.0f}%", (x, y), textcoords="offset points", xytext=(0, 6),
                          ha="center", fontsize="small")  # fmt: skip
    else:
        axes.text(0.5, 0.5, "No deliveries with a promised date", ha="center",
                  va="center", transform=axes.transAxes, color="grey")  # fmt: skip
    axes.set_ylim(0, 110)
    axes.set_ylabel("On time %")
    axes.set_title("Delivered by the promised date", loc="left", fontsize="medium")
    axes.grid(axis="y", alpha=0.3)

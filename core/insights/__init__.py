"""How the shop is doing: on-time rate, stage durations, bottlenecks, WISMO volume, the accuracy
of predicted windows, and the chart and figures of the daily digest.

- report (`build_report`, InsightsReport) over queries and counts; types: the report's parts.
- prediction_accuracy (back-test of predicted windows), quantiles.
- chart (the PNG), digest (headline figures, chart upload).
- rollups: per-day sums the report reads, kept current by `rollups.refresh`.
"""

from typing import TYPE_CHECKING

from core import lazy_exports

if TYPE_CHECKING:
    from core.insights import counts, rollups
    from core.insights.chart import chart_png
    from core.insights.digest import post_chart
    from core.insights.report import build_report
    from core.insights.types import InsightsReport

__all__ = [
    "InsightsReport",
    "build_report",
    "chart_png",
    "counts",
    "post_chart",
    "rollups",
]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "InsightsReport": "core.insights.types",
        "build_report": "core.insights.report",
        "chart_png": "core.insights.chart",
        "counts": "core.insights.counts",
        "post_chart": "core.insights.digest",
        "rollups": "core.insights.rollups",
    },
)

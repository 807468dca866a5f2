"""The core's metrics hook: a no-op without a sink, never breaks the caller, checks labels."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.runtime import metrics


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, float, dict[str, str]]] = []

    def increment(self, spec: metrics.MetricSpec, amount: float, labels: dict[str, str]) -> None:
        self.calls.append(("inc", spec.name, amount, labels))

    def observe(self, spec: metrics.MetricSpec, value: float, labels: dict[str, str]) -> None:
        self.calls.append(("obs", spec.name, value, labels))


class Broken:
    def increment(self, spec: metrics.MetricSpec, amount: float, labels: dict[str, str]) -> None:
        raise RuntimeError("collector down")

    def observe(self, spec: metrics.MetricSpec, value: float, labels: dict[str, str]) -> None:
        raise RuntimeError("collector down")


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    sink = Recorder()
    metrics.install(sink)
    yield sink
    metrics.uninstall()


def test_without_a_sink_reporting_does_nothing() -> None:
    metrics.uninstall()
    metrics.question_answered("telegram", "track_order", answered_by_bot=True)  # no error


def test_figures_reach_the_sink(recorder: Recorder) -> None:
    metrics.question_answered("telegram", "human", answered_by_bot=False)
    metrics.push_outcome("slack", "rate_limited")
    metrics.dispatch_lag("telegram", -2.0)  # clock skew never records a negative lag
    with metrics.timed(metrics.REPLY_SECONDS, channel="console"):
        pass
    assert recorder.calls[:4] == [
        ("inc", "wismo_questions", 1.0, {"channel": "telegram", "intent": "human"}),
        ("inc", "wismo_answers", 1.0, {"channel": "telegram", "by": "person"}),
        ("inc", "wismo_pushes", 1.0, {"channel": "slack", "outcome": "rate_limited"}),
        ("obs", "wismo_dispatch_lag_seconds", 0.0, {"channel": "telegram"}),
    ]
    kind, name, seconds, labels = recorder.calls[4]
    assert (kind, name, labels) == ("obs", "wismo_reply_seconds", {"channel": "console"})
    assert 0 <= seconds < 1


def test_wrong_labels_are_logged_not_sent(
    recorder: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    metrics.increment(metrics.PUSHES, channel="telegram")  # outcome missing
    metrics.observe(metrics.PUSHES, 1.0, channel="telegram", outcome="sent")  # not a histogram
    assert recorder.calls == []
    assert "wismo_pushes reported with labels" in caplog.text


def test_a_failing_sink_never_breaks_the_work(caplog: pytest.LogCaptureFixture) -> None:
    metrics.install(Broken())
    try:
        metrics.push_outcome("telegram", "sent")
        metrics.dispatch_lag("telegram", 1.0)
    finally:
        metrics.uninstall()
    assert "metrics sink failed on wismo_pushes" in caplog.text

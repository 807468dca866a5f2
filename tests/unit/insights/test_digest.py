"""The chart is a real PNG; the daily digest carries the headline numbers and the chart."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image

from core.insights.chart import PNG_SIGNATURE, chart_png
from core.insights.digest import digest_reply, post_chart, post_digest
from core.insights.report import build_report
from core.replies.reply import Reply
from core.replies.sender import Permanent, SendOutcome, Sent
from core.runtime.clock import ManualClock
from core.storage.db import Database
from tests.unit.insights import shop


async def _report(db: Database):  # type: ignore[no-untyped-def]
    async with db.transaction() as session:
        await shop.build(session)
    async with db.session() as session:
        return await build_report(session, now=shop.NOW, since=shop.SINCE, until=shop.UNTIL)


async def test_the_chart_is_a_valid_png(db: Database) -> None:
    png = chart_png(await _report(db))
    assert png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(png))
    image.verify()  # raises on a truncated or corrupt file
    assert image.format == "PNG"
    assert image.size == (900, 650)


async def test_a_chart_of_an_empty_period_still_draws(db: Database) -> None:
    async with db.session() as session:
        report = await build_report(session, now=shop.NOW, since=shop.SINCE, until=shop.UNTIL)
    Image.open(io.BytesIO(chart_png(report))).verify()


async def test_the_digest_has_the_headline_numbers(db: Database) -> None:
    reply = digest_reply(await _report(db), shop_name="Mugs & Co")
    section = reply.sections[0]
    assert section.title == "Mugs & Co: the last 14 days in numbers"
    fields = {f.label: f.value for f in section.fields}
    assert fields["On time"] == "50% of 2 with a promised date (1 late)"
    assert fields["Slowest stage"] == "First scan → delivered: median 2.0 days, p90 2.8 days"
    assert fields["Stuck now"] == "1"
    assert fields["Open flags"] == "2"
    assert fields["New exceptions"] == "damaged 1, late 1, stuck 1"
    assert fields["Questions"] == "5 (3 where-is-my-order), 80% answered by the bot"
    assert fields["Pushes"] == "2 sent, 1 failed (33%)"
    assert fields["Returns"] == "33% of 3 delivered orders"
    assert reply.sections[1].text == (
        "DHL: 50% on time, transit median 2.0 days, 0 stuck\n"
        "UPS: – on time, transit median 3.0 days, 1 stuck"
    )


class RecordingSender:
    def __init__(self, outcome: SendOutcome = Sent("C1:1.0")) -> None:
        self.outcome = outcome
        self.sent: list[tuple[str, Reply]] = []

    async def send(self, recipient: str, reply: Reply) -> SendOutcome:
        self.sent.append((recipient, reply))
        return self.outcome


class ImageRecordingSender(RecordingSender):
    def __init__(self, outcome: SendOutcome = Sent("C1:1.0")) -> None:
        super().__init__(outcome)
        self.images: list[tuple[str, bytes, str, str]] = []

    async def send_image(
        self, recipient: str, image: bytes, *, filename: str, title: str, comment: str = ""
    ) -> SendOutcome:
        self.images.append((recipient, image, filename, title))
        return Sent("F1")


async def test_post_digest_sends_the_numbers_then_the_chart(db: Database) -> None:
    async with db.transaction() as session:
        await shop.build(session)
    clock = ManualClock(shop.NOW)
    sender = ImageRecordingSender()
    result = await post_digest(db, clock, sender, "C-ALERTS", period=timedelta(days=14))

    [(channel, reply)] = sender.sent
    assert channel == "C-ALERTS"
    assert reply.intent == "digest"
    assert result.report.on_time.on_time == 1  # O1, delivered 22 Oct, inside 14 days of 2 Nov
    [(image_channel, png, filename, _title)] = sender.images
    assert (image_channel, filename) == ("C-ALERTS", "wismo-insights-2026-11-02.png")
    assert png.startswith(PNG_SIGNATURE)
    assert result.image == Sent("F1")


async def test_no_image_when_the_sender_cannot_or_the_message_failed(db: Database) -> None:
    clock = ManualClock(shop.NOW)
    plain = RecordingSender()
    result = await post_digest(db, clock, plain, "C1")
    assert len(plain.sent) == 1 and result.image is None

    refused = ImageRecordingSender(Permanent("channel_not_found"))
    result = await post_digest(db, clock, refused, "C1")
    assert result.message == Permanent("channel_not_found")
    assert refused.images == []


async def test_post_chart_uploads_four_weeks_of_trend(db: Database) -> None:
    async with db.transaction() as session:
        await shop.build(session)
    clock = ManualClock(shop.NOW)
    sender = ImageRecordingSender()
    assert await post_chart(db, clock, sender, "C-ALERTS") == Sent("F1")
    [(channel, png, _filename, title)] = sender.images
    assert channel == "C-ALERTS" and title == "Stage durations and on-time rate per week"
    assert png.startswith(PNG_SIGNATURE)
    assert sender.sent == []  # the numbers went another way
    assert await post_chart(db, clock, RecordingSender(), "C1") is None


async def test_the_chart_labels_every_bar_and_point_with_its_value(db: Database) -> None:
    from core.insights.chart import bar_label, chart_figure

    report = await _report(db)
    stages, on_time = chart_figure(report).axes
    labels = {text.get_text() for text in stages.texts}
    expected = {
        bar_label(hours)
        for week in report.weeks
        for hours in week.stage_p50_hours.values()
        if hours
    }
    assert expected and expected <= labels
    points = {text.get_text() for text in on_time.texts}
    assert {f"{w.on_time_rate * 100:.0f}%" for w in report.weeks if w.on_time_rate is not None} <= (
        points
    )
    assert [bar_label(h) for h in (0, 0.4, 35.2, 60)] == ["", "0.4 h", "35 h", "2.5 d"]

"""Support hours: days, hours (also across midnight), the zone, and the next opening."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.handoff.support_hours import parse_days, parse_hours, support_hours
from core.runtime.config import CoreConfig


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)  # 2 Nov 2026 is a Monday


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("mon,wed,fri", {0, 2, 4}),
        ("fri-mon", {4, 5, 6, 0}),
        ("sat", {5}),
        ("daily", set(range(7))),
        ("Mon-Thu, sat", {0, 1, 2, 3, 5}),
    ],
)
def test_days(text: str, days: set[int]) -> None:
    assert parse_days(text) == days


@pytest.mark.parametrize("bad", ["monday", "mon-xyz", "1-5"])
def test_bad_days_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="unknown day"):
        parse_days(bad)


@pytest.mark.parametrize("bad", ["9-17", "09:00", "09:00-09:00", "25:00-26:00", "09:70-10:00"])
def test_bad_hours_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_hours(bad)


def test_office_hours_in_the_support_zone() -> None:
    hours = support_hours(CoreConfig(support_timezone="Europe/Berlin"))  # UTC+1 in November
    assert hours.is_open(at(2, 8, 0))  # 09:00 in Berlin
    assert not hours.is_open(at(2, 7, 59))
    assert not hours.is_open(at(2, 16, 0))  # 17:00 in Berlin
    assert not hours.is_open(at(7, 12))  # Saturday
    opening = hours.next_opening(at(6, 18))  # Friday evening
    assert opening is not None
    assert opening.isoformat() == "2026-11-09T09:00:00+01:00"


def test_hours_across_midnight_belong_to_the_day_they_start() -> None:
    hours = support_hours(CoreConfig(support_hours="22:00-06:00", support_days="mon-fri"))
    assert hours.is_open(at(6, 23))  # Friday 23:00
    assert hours.is_open(at(7, 5))  # Saturday 05:00: Friday's shift
    assert not hours.is_open(at(8, 5))  # Sunday 05:00: Saturday had no shift
    assert not hours.is_open(at(3, 12))


def test_round_the_clock() -> None:
    hours = support_hours(CoreConfig(support_hours="00:00-24:00", support_days="daily"))
    assert hours.is_open(at(8, 3)) and hours.is_open(at(4, 23, 59))

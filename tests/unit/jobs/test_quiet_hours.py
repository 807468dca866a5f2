"""Quiet hours end at the shopper's local morning, whatever the offset or the DST change."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from core.pushes.quiet_hours import quiet_until
from core.runtime.zones import zone

BERLIN = ZoneInfo("Europe/Berlin")
NIGHT = (time(21, 0), time(8, 0))


@pytest.mark.parametrize(
    ("now_utc", "wake_utc"),
    [
        (datetime(2026, 11, 2, 19, 59), None),  # 20:59 Berlin: still evening
        (datetime(2026, 11, 2, 20, 0), datetime(2026, 11, 3, 7, 0)),  # 21:00: quiet till 08:00
        (datetime(2026, 11, 3, 2, 0), datetime(2026, 11, 3, 7, 0)),  # 03:00: same morning
        (datetime(2026, 11, 3, 7, 0), None),  # 08:00: awake
        # The night the clocks go back (CEST → CET): 08:00 is 07:00 UTC, not 06:00.
        (datetime(2026, 10, 24, 20, 0), datetime(2026, 10, 25, 7, 0)),
    ],
)
def test_night_quiet_hours_cross_midnight_in_local_time(now_utc, wake_utc):
    now = now_utc.replace(tzinfo=UTC)
    expected = wake_utc.replace(tzinfo=UTC) if wake_utc else None
    assert quiet_until(now, BERLIN, *NIGHT) == expected


def test_a_daytime_window_and_no_window():
    lunch = (time(12, 0), time(13, 30))
    assert quiet_until(datetime(2026, 11, 2, 11, 15, tzinfo=UTC), BERLIN, *lunch) == datetime(
        2026, 11, 2, 12, 30, tzinfo=UTC
    )
    assert quiet_until(datetime(2026, 11, 2, 13, 0, tzinfo=UTC), BERLIN, *lunch) is None
    assert quiet_until(datetime(2026, 11, 2, 22, 0, tzinfo=UTC), BERLIN, time(0), time(0)) is None


def test_an_unknown_zone_falls_back_to_the_shops():
    assert zone("Mars/Olympus", "Europe/Berlin") == BERLIN
    assert zone(None, "Nowhere") == ZoneInfo("UTC")

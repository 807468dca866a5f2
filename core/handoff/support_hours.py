"""When people answer: support hours ("09:00-17:00"), days ("mon-fri") and their time zone.

Days are a comma-separated list of days or ranges ("mon-fri", "mon,wed,fri", "fri-mon",
"daily"); hours a range of HH:MM, which may cross midnight ("22:00-06:00"; "00:00-24:00"
is round the clock). A time zone of None means the shop's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.runtime.config import CoreConfig

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class SupportHours:
    days: frozenset[int]  # 0 = Monday
    start: time
    end: time | None  # None: until midnight ("24:00")
    zone: ZoneInfo

    def is_open(self, now: datetime) -> bool:
        """True when someone is on duty at `now`."""
        local = now.astimezone(self.zone)
        clock = local.time().replace(tzinfo=None)
        if self.end is None or self.start < self.end:
            inside = clock >= self.start and (self.end is None or clock < self.end)
            return inside and local.weekday() in self.days
        # Crossing midnight: the early-morning part belongs to the previous day's shift.
        if clock >= self.start:
            return local.weekday() in self.days
        if clock < self.end:
            return (local.weekday() - 1) % 7 in self.days
        return False

    def next_opening(self, now: datetime) -> datetime | None:
        """When the next shift starts after `now` (aware, in the support zone); None if never."""
        if not self.days:
            return None
        local = now.astimezone(self.zone)
        for offset in range(8):
            day = (local + timedelta(days=offset)).date()
            if day.weekday() not in self.days:
                continue
            opening = datetime.combine(day, self.start, tzinfo=self.zone)
            if opening > local:
                return opening
        return None


def parse_days(value: str) -> frozenset[int]:
    """ "mon-fri" -> {0..4}; ValueError naming the bad part."""
    text = value.strip().lower()
    if text in ("", "daily", "all", "mon-sun"):
        return frozenset(range(7))
    days: set[int] = set()
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ValueError(f"unknown day in {value!r}; use e.g. mon-fri or mon,wed,fri")
        a = DAYS.index(first)
        b = DAYS.index(last) if last else a
        days.update((a + i) % 7 for i in range((b - a) % 7 + 1))
    return frozenset(days)


def _clock(value: str, whole: str) -> time | None:
    hours, _, minutes = value.strip().partition(":")
    if not (hours.isdigit() and minutes.isdigit() and int(minutes) < 60):
        raise ValueError(f"expected HH:MM-HH:MM, got {whole!r}")
    if int(hours) == 24 and int(minutes) == 0:
        return None
    if int(hours) > 23:
        raise ValueError(f"expected HH:MM-HH:MM, got {whole!r}")
    return time(int(hours), int(minutes))


def parse_hours(value: str) -> tuple[time, time | None]:
    """ "09:00-17:00" -> (09:00, 17:00); "00:00-24:00" -> (00:00, None)."""
    start_text, sep, end_text = value.partition("-")
    start = _clock(start_text, value) if sep else None
    end = _clock(end_text, value) if sep else None
    if start is None or start == end:
        raise ValueError(f"expected HH:MM-HH:MM with different times, got {value!r}")
    return start, end


def support_hours(config: CoreConfig) -> SupportHours:
    """The configured hours; ValueError (naming the setting's value) when malformed."""
    start, end = parse_hours(config.support_hours)
    name = config.support_timezone or config.timezone
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None
    return SupportHours(parse_days(config.support_days), start, end, zone)

"""Whether a value from outside can be stored as given, whichever way it came in.

PostgreSQL refuses a NUL character in text; a time such as `0001-01-01T00:00:00+14:00`
has no UTC equivalent in Python's range; an id beyond a 32-bit INTEGER column overflows
it. Each entry point (ingest API, webhooks, CSV import) asks here first, so bad input is
refused with a reason naming it instead of failing in the database after other writes.
"""

from __future__ import annotations

from datetime import UTC, datetime

# The widest span a shop's times may take; far enough either way for any real order,
# near enough that arithmetic on it (a promised date plus days) stays within range.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
# Integer columns (ids, quantities, money in minor units) are 32-bit on PostgreSQL.
MAX_INTEGER = 2**31 - 1


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text, or None when it can."""
    if "\x00" in value:
        return "must not contain a NUL character (\\u0000)"
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        return "must not contain an unpaired surrogate (not valid Unicode)"
    return None


def time_problem(value: datetime) -> str | None:
    """Why `value` cannot be stored as a time, or None when it can (aware, in range)."""
    if value.tzinfo is None or value.utcoffset() is None:
        return "must carry a time zone"
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        return "is out of range (it has no UTC time)"
    if not EARLIEST <= utc < LATEST:
        return f"must lie between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d} (UTC)"
    return None


def integer_problem(value: int) -> str | None:
    """Why `value` cannot be stored in an integer column, or None when it can."""
    if not -MAX_INTEGER - 1 <= value <= MAX_INTEGER:
        return f"must be at most {MAX_INTEGER:,} in size"
    return None


def value_problem(value: object) -> str | None:
    """`text_problem`, `time_problem` or `integer_problem`, whichever applies to `value`."""
    if isinstance(value, str):
        return text_problem(value)
    if isinstance(value, datetime):
        return time_problem(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return integer_problem(value)
    return None

"""Portable SQL for time arithmetic, so insights can aggregate in the database.

SQLite and PostgreSQL disagree on how to subtract timestamps; `seconds_between(later,
earlier)` compiles to the right expression for each and yields a float number of seconds;
`day_number(moment)` and `hour_number(moment)` give the UTC day or hour (since
1970-01-01) exactly on both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


# Lower-case on purpose: it reads like the SQL function it stands for.
class seconds_between(FunctionElement[float]):
    """`later - earlier` in seconds (NULL when either is NULL)."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between)
def _seconds_default(element: seconds_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"EXTRACT(EPOCH FROM ({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)}))"
    )


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"((julianday({compiler.process(later, **kw)}) - "
        f"julianday({compiler.process(earlier, **kw)})) * 86400.0)"
    )


class _whole_units(FunctionElement[int]):
    """Whole `unit`s of seconds since 1970-01-01 UTC, exactly on both databases."""

    type = BigInteger()
    inherit_cache = True
    unit = 1


class day_number(_whole_units):
    """The UTC day of a timestamp as whole days since 1970-01-01 (exact, unlike a float
    division of `seconds_between`: a scan at midnight belongs to the day it starts)."""

    inherit_cache = True
    name = "day_number"
    unit = 86400


class hour_number(_whole_units):
    """The UTC hour of a timestamp as whole hours since 1970-01-01 (exact)."""

    inherit_cache = True
    name = "hour_number"
    unit = 3600


def _units_default(element: _whole_units, compiler: Any, **kw: Any) -> str:
    [moment] = list(element.clauses)
    epoch = f"EXTRACT(EPOCH FROM {compiler.process(moment, **kw)})"
    return f"CAST(FLOOR({epoch} / {element.unit}) AS BIGINT)"


def _units_sqlite(element: _whole_units, compiler: Any, **kw: Any) -> str:
    [moment] = list(element.clauses)
    return f"(CAST(strftime('%s', {compiler.process(moment, **kw)}) AS INTEGER) / {element.unit})"


for _units in (day_number, hour_number):
    compiles(_units)(_units_default)
    compiles(_units, "sqlite")(_units_sqlite)

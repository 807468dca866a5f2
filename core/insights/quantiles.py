"""Quantiles of plain numbers, the one definition insights and predictions share."""

from __future__ import annotations

import math
from collections.abc import Sequence


def quantile(sorted_values: Sequence[float], q: float) -> float | None:
    """The q-quantile (0 <= q <= 1) of ascending `sorted_values`; None when there are none.

    Linear interpolation between the closest ranks (numpy's default, "type 7"): for n
    values the position is q * (n - 1), so the median of 1, 2, 3, 10 is 2.5 and its
    0.9-quantile is 7.9.
    """
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"quantile must be between 0 and 1, got {q}")
    n = len(sorted_values)
    if n == 0:
        return None
    position = q * (n - 1)
    low = math.floor(position)
    high = min(low + 1, n - 1)
    fraction = position - low
    return float(sorted_values[low] + (sorted_values[high] - sorted_values[low]) * fraction)


def weighted_quantile(values: Sequence[tuple[float, int]], q: float) -> float | None:
    """`quantile` of the list in which each (value, count) pair stands for `count` copies.

    Gives the same answer as expanding the pairs, without building the list: a histogram
    of a million durations is a few thousand pairs.
    """
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"quantile must be between 0 and 1, got {q}")
    ordered = sorted((v, n) for v, n in values if n > 0)
    total = sum(n for _v, n in ordered)
    if total == 0:
        return None
    position = q * (total - 1)
    low_rank = math.floor(position)
    low = _value_at(ordered, low_rank)
    high = _value_at(ordered, min(low_rank + 1, total - 1))
    return low + (high - low) * (position - low_rank)


def _value_at(ordered: Sequence[tuple[float, int]], rank: int) -> float:
    seen = 0
    for value, count in ordered:
        seen += count
        if rank < seen:
            return float(value)
    raise IndexError(rank)

"""Quantiles: linear between ranks; a histogram gives what its expanded list gives."""

from __future__ import annotations

import random

import pytest

from core.insights.quantiles import quantile, weighted_quantile


def test_quantile_interpolates_between_closest_ranks() -> None:
    assert quantile([1, 2, 3, 10], 0.5) == pytest.approx(2.5)
    assert quantile([1, 2, 3, 10], 0.9) == pytest.approx(7.9)  # rank 2.7: 3 + 0.7 * 7
    assert quantile([5], 0.9) == 5
    assert quantile([], 0.5) is None
    with pytest.raises(ValueError, match="between 0 and 1"):
        quantile([1], 1.5)


def test_a_histogram_answers_like_its_expanded_list() -> None:
    rng = random.Random(3)
    for _ in range(50):
        pairs = [(rng.uniform(0, 100), rng.randint(0, 5)) for _ in range(rng.randint(1, 12))]
        expanded = sorted(v for v, n in pairs for _ in range(n))
        for q in (0.0, 0.1, 0.5, 0.9, 1.0):
            expected = quantile(expanded, q)
            got = weighted_quantile(pairs, q)
            assert got == pytest.approx(expected) if expected is not None else got is None

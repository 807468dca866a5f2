"""Hypothesis strategies shared by the fuzz tests: JSON values, and recorded payloads with
some of their values replaced by anything at all."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

# Text as it arrives from outside: any code point, NUL and lone surrogates included.
ANY_TEXT = st.text(st.characters(codec=None, min_codepoint=0), max_size=60)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | ANY_TEXT
    | st.sampled_from(["", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "\x00"])
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            paths += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            paths += _paths(child, (*prefix, index))
    return paths


def _replace(document: Any, path: tuple[Any, ...], value: Any) -> None:
    node = document
    for step in path[:-1]:
        if not isinstance(node, dict | list):
            return
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return
    last = path[-1]
    if isinstance(node, dict):
        node[last] = value
    elif isinstance(node, list) and isinstance(last, int) and last < len(node):
        node[last] = value


def mutated(payload: dict[str, Any], changes: int = 4) -> st.SearchStrategy[dict[str, Any]]:
    """`payload` (a recorded, valid one) with up to `changes` values swapped for any JSON."""
    paths = _paths(payload)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        document = copy.deepcopy(payload)
        for path in draw(st.lists(st.sampled_from(paths), max_size=changes)):
            _replace(document, path, draw(JSON))
        return document

    return build()

"""A modal's private_metadata that is not wismo's own object reads as no origin, not a crash."""

from __future__ import annotations

import pytest

from adapters.slack.modals import Origin


@pytest.mark.parametrize("metadata", ["5", "[]", "null", '"text"', "not json", ""])
def test_odd_private_metadata_is_no_origin(metadata: str) -> None:
    origin = Origin.load(metadata)
    assert (origin.subject, origin.channel, origin.ts, origin.response_url) == (
        "",
        None,
        None,
        None,
    )


def test_wismo_s_own_metadata_reads_back() -> None:
    origin = Origin(subject="1001", channel="C0WORK", ts="1.2", response_url=None, card=None)
    assert Origin.load(origin.dump()) == origin

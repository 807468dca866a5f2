"""Signed callback data: within 64 bytes, and refused when forged, altered or moved."""

from __future__ import annotations

import pytest

from adapters.telegram.callbacks import (
    CALLBACK_DATA_LIMIT,
    CallbackAction,
    CallbackCodec,
    CallbackTooLong,
)

CODEC = CallbackCodec("test-secret")


def test_round_trip_within_64_bytes() -> None:
    data = CODEC.encode("42", "ret_confirm", "1001:17|x")
    assert len(data.encode()) <= CALLBACK_DATA_LIMIT
    assert CODEC.decode("42", data) == CallbackAction("ret_confirm", "1001:17|x")


def test_altered_payload_is_refused() -> None:
    data = CODEC.encode("42", "track", "1001")
    assert CODEC.decode("42", data.replace("1001", "1002")) is None


def test_altered_action_is_refused() -> None:
    data = CODEC.encode("42", "follow", "1001")
    assert CODEC.decode("42", data.replace("follow", "unfollow", 1)) is None


def test_callback_from_another_chat_is_refused() -> None:
    data = CODEC.encode("42", "track", "1001")
    assert CODEC.decode("43", data) is None


def test_another_secret_key_cannot_forge() -> None:
    forged = CallbackCodec("attacker-guess").encode("42", "track", "1001")
    assert CODEC.decode("42", forged) is None


@pytest.mark.parametrize(
    "data", [None, "", "track", "track|1001", "|1001|sig", "x" * 65, "track|1001|"]
)
def test_malformed_data_is_refused(data: str | None) -> None:
    assert CODEC.decode("42", data) is None


def test_too_long_payload_is_an_error_at_encoding() -> None:
    with pytest.raises(CallbackTooLong):
        CODEC.encode("42", "track", "9" * 60)


def test_action_must_not_contain_the_separator() -> None:
    with pytest.raises(ValueError):
        CODEC.encode("42", "a|b", "1")

"""The one status table per source, and each platform's signature scheme."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from adapters.carriers import aftership, easypost, shopify
from core.tracking.statuses import ShipmentStatus as S


@pytest.mark.parametrize(
    ("tag", "status"),
    [
        ("Pending", S.PENDING), ("InfoReceived", S.INFO_RECEIVED), ("InTransit", S.IN_TRANSIT),
        ("OutForDelivery", S.OUT_FOR_DELIVERY), ("AttemptFail", S.FAILED_ATTEMPT),
        ("AvailableForPickup", S.AVAILABLE_FOR_PICKUP), ("Delivered", S.DELIVERED),
        ("Exception", S.EXCEPTION), ("Expired", S.EXPIRED), ("Alert", None),
    ],
)  # fmt: skip
def test_aftership_tags(tag: str, status: S | None) -> None:
    assert aftership.map_tag(tag) == status


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("unknown", S.PENDING), ("pre_transit", S.INFO_RECEIVED), ("in_transit", S.IN_TRANSIT),
        ("out_for_delivery", S.OUT_FOR_DELIVERY), ("available_for_pickup", S.AVAILABLE_FOR_PICKUP),
        ("delivered", S.DELIVERED), ("return_to_sender", S.EXCEPTION), ("failure", S.EXCEPTION),
        ("cancelled", S.EXCEPTION), ("error", None), ("misrouted", None),
    ],
)  # fmt: skip
def test_easypost_statuses(code: str, status: S | None) -> None:
    assert easypost.map_status(code) == status


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("label_printed", S.INFO_RECEIVED), ("label_purchased", S.INFO_RECEIVED),
        ("confirmed", S.INFO_RECEIVED), ("carrier_picked_up", S.IN_TRANSIT),
        ("in_transit", S.IN_TRANSIT), ("delayed", S.IN_TRANSIT),
        ("out_for_delivery", S.OUT_FOR_DELIVERY), ("attempted_delivery", S.FAILED_ATTEMPT),
        ("ready_for_pickup", S.AVAILABLE_FOR_PICKUP), ("delivered", S.DELIVERED),
        ("failure", S.EXCEPTION), ("OUT_FOR_DELIVERY", S.OUT_FOR_DELIVERY), ("lost", None),
    ],
)  # fmt: skip
def test_shopify_shipment_statuses(code: str, status: S | None) -> None:
    assert shopify.map_shipment_status(code) == status


def test_an_unknown_code_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING"):
        assert shopify.map_shipment_status("abducted") is None
    assert "unknown shipment_status 'abducted'" in caplog.text


def test_base64_signatures_for_aftership_and_shopify() -> None:
    body = b'{"id": 1}'
    good = base64.b64encode(hmac.new(b"s3cret", body, hashlib.sha256).digest()).decode()
    for module in (aftership, shopify):
        assert module.verify_signature("s3cret", body, good)
        assert not module.verify_signature("s3cret", body + b" ", good)
        assert not module.verify_signature("s3cret", body, None)
        assert not module.verify_signature("", body, good)


def test_easypost_signature_normalises_the_secret() -> None:
    body = b'{"id": "evt_1"}'
    # "ﬁ" (one ligature character) NFKD-normalises to "fi": EasyPost signs with the latter.
    digest = hmac.new(b"profile", body, hashlib.sha256).hexdigest()
    assert easypost.verify_signature("pro\ufb01le", body, f"hmac-sha256-hex={digest}")
    assert not easypost.verify_signature("pro\ufb01le", body, digest)
    assert not easypost.verify_signature("other", body, f"hmac-sha256-hex={digest}")

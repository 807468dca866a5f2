"""Small, forgiving readers for carrier and shop payloads (pure functions)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from core.ingest import time_problem


class PayloadError(ValueError):
    """The payload lacks something wismo needs; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def hmac_sha256(secret: bytes, body: bytes) -> bytes:
    """HMAC-SHA256 of `body` under `secret`."""
    return hmac.new(secret, body, hashlib.sha256).digest()


def base64_hmac_matches(secret: str, body: bytes, presented: str | None) -> bool:
    """True when `presented` is the base64 HMAC-SHA256 of `body` (constant-time compare)."""
    if not presented or not secret:
        return False
    expected = base64.b64encode(hmac_sha256(secret.encode("utf-8"), body)).decode("ascii")
    return hmac.compare_digest(expected.encode("ascii"), presented.strip().encode("utf-8"))


def text(value: Any, limit: int | None = None) -> str:
    """`value` as stripped text ('' for None), cut to `limit` characters."""
    if value is None:
        return ""
    result = str(value).strip()
    return result[:limit] if limit else result


def when(value: Any, field: str, *, required: bool = False) -> datetime | None:
    """An ISO-8601 timestamp (or Unix seconds) as aware UTC; a naive one is taken as UTC."""
    if value in (None, ""):
        if required:
            raise PayloadError(field, "missing timestamp")
        return None
    try:
        if isinstance(value, int | float):
            parsed = datetime.fromtimestamp(value, tz=UTC)
        else:
            parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        problem = time_problem(parsed)  # e.g. year 1 at +14:00 has no UTC time
        parsed = parsed.astimezone(UTC)
    except (ValueError, OverflowError, OSError):
        raise PayloadError(field, f"not a timestamp: {str(value)[:40]!r}") from None
    if problem:
        raise PayloadError(field, f"{str(value)[:40]!r} {problem}")
    return parsed


def minor_units(value: Any, field: str) -> int:
    """A decimal money string ("19.90") as integer minor units (1990)."""
    if value in (None, ""):
        return 0
    try:
        return int((Decimal(str(value)) * 100).to_integral_value())
    except (InvalidOperation, ValueError, OverflowError):  # "abc", "NaN", "Infinity"
        raise PayloadError(field, f"not an amount: {str(value)[:40]!r}") from None


def whole_number(value: Any, field: str, default: int = 1) -> int:
    """A count such as a quantity: an integer, or a string of one ("2"); `default` if absent."""
    if value in (None, ""):
        return default
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise PayloadError(field, f"not a whole number: {str(value)[:40]!r}")
    try:
        return int(value)
    except ValueError:
        raise PayloadError(field, f"not a whole number: {str(value)[:40]!r}") from None


def texts(value: Any, limit: int | None = None) -> list[str]:
    """The non-empty texts in `value` if it is a list (of strings or numbers), else none."""
    if not isinstance(value, list):
        return []
    found = [text(v, limit) for v in value if isinstance(v, str | int) and not isinstance(v, bool)]
    return [t for t in found if t]


def mapping(value: Any) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def items(value: Any) -> list[dict[str, Any]]:
    """The JSON objects in `value` if it is a list, else none."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []

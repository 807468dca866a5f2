"""Error bodies the ingest API and webhooks answer with: every problem names its field."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


def field_name(loc: Sequence[Any]) -> str:
    """`("body", "events", 3, "status")` -> `"events.3.status"`; the bare body is "body"."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:] if len(parts) > 1 else parts
    return ".".join(parts) or "body"


def describe(errors: Sequence[Any]) -> list[dict[str, str]]:
    """Pydantic/FastAPI errors as `{"field", "message"}` pairs."""
    described = []
    for error in errors:
        if error.get("type") == "json_invalid":
            reason = (error.get("ctx") or {}).get("error", "not valid JSON")
            described.append({"field": "body", "message": f"malformed JSON: {reason}"})
            continue
        described.append({"field": field_name(error.get("loc", ())), "message": error["msg"]})
    return described


def problem(status: int, error: str, errors: list[dict[str, str]]) -> JSONResponse:
    """A JSON error: `{"error": code, "errors": [{"field", "message"}]}`."""
    return JSONResponse({"error": error, "errors": errors}, status_code=status)


async def validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """422 naming each bad field; FastAPI's own `detail` list is kept for its clients."""
    assert isinstance(exc, RequestValidationError)
    body = {
        "error": "invalid_request",
        "errors": describe(exc.errors()),
        "detail": [
            {"loc": list(error.get("loc", ())), "msg": error["msg"], "type": error["type"]}
            for error in exc.errors()
        ],
    }
    return JSONResponse(body, status_code=422)

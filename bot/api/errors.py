"""Error bodies the ingest API and webhooks answer with: every problem names its field."""

from __future__ import annotations

import logging
import socket
from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException

from bot.api.bodies import unreadable_json

log = logging.getLogger(__name__)


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


async def body_error_handler(request: Request, exc: Exception) -> Response:
    """FastAPI's bare 400 for a body it could not decode, as the documented 422 instead.

    FastAPI turns a JSON syntax error into a validation error but any other decoding
    failure (invalid UTF-8, nesting deeper than the parser goes) into `400 {"detail": ...}`.
    Other HTTP errors keep FastAPI's own answer.
    """
    assert isinstance(exc, HTTPException)
    reason = unreadable_json(exc.__cause__) if exc.__cause__ is not None else None
    if exc.status_code == 400 and reason:
        return problem(422, "invalid_request", [{"field": "body", "message": reason}])
    return await http_exception_handler(request, exc)


async def database_busy_handler(request: Request, exc: Exception) -> JSONResponse:
    """SQLite's single writer stayed busy past the busy timeout: ask the caller to retry.

    Every ingest write is idempotent, so a retry is always safe. A database that cannot
    be reached is a 503 too; other database errors stay 500s.
    """
    if "locked" in str(exc).lower() or "busy" in str(exc).lower():
        return JSONResponse(
            {"error": "busy", "errors": [{"field": "body", "message": "database busy; retry"}]},
            status_code=503,
            headers={"Retry-After": "1"},
        )
    if connection_lost(exc):
        return unreachable(request, exc)
    log.error("database error on %s: %s", request.url.path, exc)
    return JSONResponse({"error": "internal_error", "errors": []}, status_code=500)


def connection_lost(error: BaseException) -> bool:
    """Whether `error` comes from not reaching the database (refused, dropped, timed out).

    Narrower than core.storage.database_unavailable, which counts every OperationalError:
    here a failing disk stays a 500, while a connection that could not be made or was lost
    is a 503 to retry.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, ConnectionError | TimeoutError | socket.gaierror):
            return True
        name = type(current).__name__
        if type(current).__module__.startswith("asyncpg") and (
            "Connection" in name or name in ("CannotConnectNowError", "InterfaceError")
        ):
            return True
        current = current.__cause__ or current.__context__
    return False


def unreachable(request: Request, exc: Exception) -> JSONResponse:
    """The database could not be reached: nothing was written; retrying later is safe.

    503 with Retry-After, not 500: a carrier or shop system retries a 5xx anyway, and this
    one tells it the request was fine and when to come back.
    """
    log.warning("database unreachable on %s %s: %s", request.method, request.url.path,
                type(exc).__name__)  # fmt: skip
    return JSONResponse(
        {"error": "unavailable",
         "errors": [{"field": "", "message": "the database is unreachable; nothing was "
                     "written, retry later"}]},
        status_code=503,
        headers={"Retry-After": "5"},
    )  # fmt: skip


async def unexpected_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """Anything unforeseen: a 500 in the same JSON shape, logged with the route, never the body.

    A database that cannot be reached is not unforeseen: 503 (see `unreachable`).
    """
    if connection_lost(exc):
        return unreachable(request, exc)
    log.error(
        "unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path, exc_info=exc
    )
    return problem(500, "internal_error", [{"field": "", "message": "unexpected server error"}])

"""The ingest API (`/api/v1`) and the shop and carrier webhooks (`/webhooks/...`)."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException

from bot.api import events, orders, webhooks
from bot.api.errors import (
    body_error_handler,
    database_busy_handler,
    unexpected_error_handler,
    validation_error_handler,
)


def install(app: FastAPI) -> None:
    """Mount the ingest routers and the 422 handler that names each bad field."""
    # SQLite has one writer: bulk writes queue here instead of busy-waiting in SQLite.
    app.state.ingest_write_lock = asyncio.Lock()
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(HTTPException, body_error_handler)
    app.add_exception_handler(OperationalError, database_busy_handler)
    app.add_exception_handler(Exception, unexpected_error_handler)
    app.include_router(orders.router)
    app.include_router(events.router)
    app.include_router(webhooks.router)

"""wismo's HTTP app (FastAPI): health, readiness, and the routers the channels and ingest add."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text

from bot import __version__
from bot import api as ingest_api
from bot.api import returns as returns_api
from bot.metrics import install_http as install_http_metrics
from bot.mini_app import router as mini_app_router
from bot.services import Services
from bot.slack import router as slack_router
from bot.telegram import router as telegram_router
from bot.tracking_page import router as tracking_page_router


def create_app(services: Services) -> FastAPI:
    """The HTTP app for `services`; routers are mounted here and nowhere else."""
    # max_body_size counts the streamed body, so a lying or absent Content-Length still gets 413.
    app = FastAPI(
        title="wismo", version=__version__, max_body_size=services.settings.max_request_bytes
    )
    app.state.services = services
    install_http_metrics(app, services)
    app.include_router(telegram_router)
    app.include_router(slack_router)
    ingest_api.install(app)
    app.include_router(returns_api.router)
    app.include_router(tracking_page_router)
    app.include_router(mini_app_router)

    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"])
    async def readyz() -> JSONResponse:
        """The database answers."""
        try:
            async with services.database.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as exc:
            return JSONResponse(
                {"status": "unavailable", "database": type(exc).__name__}, status_code=503
            )
        return JSONResponse({"status": "ok", "database": "ok"})

    return app

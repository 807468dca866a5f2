"""API-key authentication for `/api/v1`: `Authorization: Bearer <key>` or `X-API-Key: <key>`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from bot.services import Services
from core.ingest import apikeys
from core.storage import ApiKey

# auto_error=False: we answer one clear 401 ourselves whichever header is missing.
_bearer = HTTPBearer(auto_error=False, description="An API key from `wismo apikey create`.")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="The same key.")


def services_of(request: Request) -> Services:
    """The application's services, set on the app by `bot.http.create_app`."""
    return request.app.state.services  # type: ignore[no-any-return]


async def api_key(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header_key: Annotated[str | None, Depends(_header)],
) -> ApiKey:
    """The caller's active API key, or 401."""
    presented = (bearer.credentials if bearer else None) or header_key
    if not presented:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="missing API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    services = services_of(request)
    async with services.database.transaction() as session:
        key = await apikeys.authenticate(session, services.clock, presented.strip())
    if key is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="unknown or revoked API key",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return key


ApiKeyDep = Annotated[ApiKey, Depends(api_key)]

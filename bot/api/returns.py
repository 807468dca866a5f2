"""`/api/v1/returns`: return requests for the shop's other systems (warehouse, accounting).

`GET /api/v1/returns?state=approved` lists requests oldest first, a page at a time
(`after_id` is the last id of the previous page; `next_after_id` says where to go on).
`POST /api/v1/returns/{id}/received` and `/refunded` move a request on; the step is
audited as `api:<key name>` and pushed to the shopper, as when staff click in Slack.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from bot.api.auth import ApiKeyDep, services_of
from bot.api.errors import problem
from core import returns
from core.ingest import MAX_INTEGER
from core.returns import ReturnRecord, list_returns, return_record

router = APIRouter(prefix="/api/v1", tags=["returns"])

ReturnId = Annotated[int, Path(ge=1, le=MAX_INTEGER, description="The return request's id")]
ReturnState = Literal["requested", "approved", "declined", "received", "refunded", "cancelled"]
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing, unknown or revoked API key"},
    404: {"description": "No return request with this id"},
    409: {"description": "The request is not in a state that allows this step"},
}


class ReturnItemOut(BaseModel):
    order_item_id: int
    sku: str
    name: str
    qty: int


class ReturnOut(BaseModel):
    id: int
    order_number: str
    state: ReturnState
    reason: str
    comment: str
    items: list[ReturnItemOut]
    rma_code: str | None
    decided_by: str | None
    decided_at: datetime | None
    decline_reason: str | None
    decline_note: str
    received_at: datetime | None
    refunded_at: datetime | None
    cancelled_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ReturnPage(BaseModel):
    returns: list[ReturnOut]
    next_after_id: int | None  # None on the last page


def _out(record: ReturnRecord) -> ReturnOut:
    r = record.request
    assert r.id is not None
    return ReturnOut(
        id=r.id,
        order_number=record.order_number,
        state=r.state,  # type: ignore[arg-type]
        reason=r.reason,
        comment=r.comment,
        items=[ReturnItemOut(**line.__dict__) for line in record.items],
        rma_code=r.rma_code,
        decided_by=r.decided_by,
        decided_at=r.decided_at,
        decline_reason=r.decline_reason,
        decline_note=r.decline_note,
        received_at=r.received_at,
        refunded_at=r.refunded_at,
        cancelled_at=r.cancelled_at,
        created_at=r.created_at,
        updated_at=r.updated_at,
    )


@router.get("/returns", response_model=ReturnPage, responses=_ERRORS)
async def get_returns(
    request: Request,
    key: ApiKeyDep,
    state: Annotated[ReturnState | None, Query(description="Only requests in this state")] = None,
    after_id: Annotated[
        int, Query(ge=0, le=MAX_INTEGER, description="Last id of the previous page")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ReturnPage:
    """Return requests, oldest first, optionally in one state."""
    services = services_of(request)
    async with services.database.session() as session:
        records = await list_returns(session, state=state, after_id=after_id, limit=limit)
    page = [_out(record) for record in records]
    return ReturnPage(returns=page, next_after_id=page[-1].id if len(page) == limit else None)


@router.get("/returns/{return_id}", response_model=ReturnOut, responses=_ERRORS)
async def get_return(
    request: Request, key: ApiKeyDep, return_id: ReturnId
) -> ReturnOut | JSONResponse:
    """One return request with its items."""
    services = services_of(request)
    async with services.database.session() as session:
        record = await return_record(session, return_id)
    if record is None:
        return _not_found(return_id)
    return _out(record)


@router.post("/returns/{return_id}/received", response_model=ReturnOut, responses=_ERRORS)
async def post_received(
    request: Request, key: ApiKeyDep, return_id: ReturnId
) -> ReturnOut | JSONResponse:
    """The parcel is back at the shop (only an approved return)."""
    return await _step(request, key.name, return_id, returns.mark_received)


@router.post("/returns/{return_id}/refunded", response_model=ReturnOut, responses=_ERRORS)
async def post_refunded(
    request: Request, key: ApiKeyDep, return_id: ReturnId
) -> ReturnOut | JSONResponse:
    """The money went back to the shopper (only a received return)."""
    return await _step(request, key.name, return_id, returns.mark_refunded)


async def _step(
    request: Request, key_name: str, return_id: int, step: Any
) -> ReturnOut | JSONResponse:
    services = services_of(request)
    try:
        async with services.database.transaction() as session:
            await step(session, services.clock, services.config, return_id, actor=f"api:{key_name}")
            record = await return_record(session, return_id)
    except returns.ReturnNotFound:
        return _not_found(return_id)
    except returns.WrongState as refused:
        return JSONResponse(
            {
                "error": refused.code,
                "state": refused.state,
                "errors": [{"field": "return_id", "message": str(refused)}],
            },
            status_code=409,
        )
    assert record is not None
    return _out(record)


def _not_found(return_id: int) -> JSONResponse:
    return problem(
        404, "not_found", [{"field": "return_id", "message": f"no return request {return_id}"}]
    )

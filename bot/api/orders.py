"""`/api/v1/orders` and `/api/v1/shipments`: idempotent upserts keyed by the caller's ids."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response, status
from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.api.auth import ApiKeyDep, services_of
from bot.api.errors import problem
from bot.api.schemas import OrderIn, OrderUpsertOut, ShipmentIn, UpsertOut
from core.ingest import intake, text_problem
from core.storage import Shipment
from core.tracking_page import page_token, page_url

router = APIRouter(prefix="/api/v1", tags=["ingest"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing, unknown or revoked API key"},
    409: {"description": "The number or external id belongs to another record"},
    413: {"description": "Body larger than WISMO_MAX_REQUEST_BYTES"},
    422: {"description": "A field is missing or wrong; the body names it"},
}
_READ_ERRORS: dict[int | str, dict[str, Any]] = {
    401: _ERRORS[401],
    404: {"description": "Nothing has this external id"},
}


async def _upsert(
    request: Request,
    response: Response,
    external_id: str,
    write: Callable[[AsyncSession], Awaitable[intake.Upserted]],
) -> UpsertOut | Any:
    services = services_of(request)
    # Two identical requests racing both try the INSERT; the loser retries and updates.
    for attempt in (1, 2):
        try:
            async with services.database.transaction() as session:
                result = await write(session)
            break
        except intake.IntakeConflict as exc:
            return problem(409, "conflict", [{"field": exc.field, "message": exc.message}])
        except intake.IntakeError as exc:
            return problem(422, "invalid_request", [{"field": exc.field, "message": exc.message}])
        except IntegrityError:
            if attempt == 2:
                raise
    response.status_code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
    return UpsertOut(
        id=result.id, external_id=external_id, created=result.created, changed=result.changed
    )


def _tracking_url(request: Request, order_id: int) -> str:
    services = services_of(request)
    return page_url(services.config, page_token(services.config, order_id, services.clock.now()))


@router.post(
    "/orders",
    response_model=OrderUpsertOut,
    status_code=status.HTTP_200_OK,
    responses={201: {"description": "Created", "model": OrderUpsertOut}, **_ERRORS},
    summary="Create or update an order",
)
async def put_order(
    body: OrderIn, request: Request, response: Response, key: ApiKeyDep
) -> UpsertOut | Any:
    """Create the order with `external_id`, or update it (201 when created, else 200).

    The customer is matched by `customer.external_id`, else by e-mail. `items`, when given,
    is the order's full item list. `tracking_url` is the order's tracking page.
    """
    clock = services_of(request).clock
    data = body.to_data()
    result = await _upsert(
        request,
        response,
        body.external_id,
        lambda session: intake.upsert_order(session, clock, data, actor=f"api:{key.name}"),
    )
    if not isinstance(result, UpsertOut):
        return result  # the error response
    return OrderUpsertOut(**result.model_dump(), tracking_url=_tracking_url(request, result.id))


@router.get("/orders/{external_id}", summary="Read an order back", responses=_READ_ERRORS)
async def get_order(external_id: str, request: Request, key: ApiKeyDep) -> dict[str, object]:
    """The stored order with its items and shipments, and its tracking page's address."""
    if text_problem(external_id):  # a NUL cannot be stored, so no order has it
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no such order")
    async with services_of(request).database.session() as session:
        order = await intake.find_order(session, external_id=external_id)
        if order is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no order {external_id!r}")
        summary = await intake.order_summary(session, order)
    assert order.id is not None
    return {**summary, "tracking_url": _tracking_url(request, order.id)}


@router.post(
    "/shipments",
    response_model=UpsertOut,
    responses={201: {"description": "Created", "model": UpsertOut}, **_ERRORS},
    summary="Create or update a shipment",
)
async def put_shipment(
    body: ShipmentIn, request: Request, response: Response, key: ApiKeyDep
) -> UpsertOut | Any:
    """Create the shipment with `external_id` on its order, or update it (201 / 200)."""
    clock = services_of(request).clock
    data = body.to_data()
    return await _upsert(
        request,
        response,
        body.external_id,
        lambda session: intake.upsert_shipment(session, clock, data, actor=f"api:{key.name}"),
    )


@router.get("/shipments/{external_id}", summary="Read a shipment back", responses=_READ_ERRORS)
async def get_shipment(external_id: str, request: Request, key: ApiKeyDep) -> dict[str, object]:
    """The stored shipment and its current status."""
    if text_problem(external_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no such shipment")
    async with services_of(request).database.session() as session:
        shipment = (
            await session.exec(select(Shipment).where(Shipment.external_id == external_id))
        ).first()
        if shipment is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no shipment {external_id!r}")
        return intake.shipment_summary(shipment)

"""Reading returns for the shop's other systems: a page of requests by state, with their items."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.storage.models import Order, OrderItem, ReturnItem, ReturnRequest


@dataclass(frozen=True)
class ReturnLine:
    """One returned item: the shop's SKU, its name and how many."""

    order_item_id: int
    sku: str
    name: str
    qty: int


@dataclass(frozen=True)
class ReturnRecord:
    """A return request with its order number and items."""

    request: ReturnRequest
    order_number: str
    items: list[ReturnLine]


async def list_returns(
    session: AsyncSession, *, state: str | None = None, after_id: int = 0, limit: int = 100
) -> list[ReturnRecord]:
    """Requests with id > `after_id` (oldest first, at most `limit`), optionally in one state."""
    statement = (
        select(ReturnRequest, Order.number)
        .join(Order, col(Order.id) == ReturnRequest.order_id)
        .where(col(ReturnRequest.id) > after_id)
        .order_by(col(ReturnRequest.id))
        .limit(limit)
    )
    if state is not None:
        statement = statement.where(ReturnRequest.state == state)
    rows = (await session.exec(statement)).all()
    return await _with_items(session, [(request, number) for request, number in rows])


async def return_record(session: AsyncSession, return_id: int) -> ReturnRecord | None:
    """One request with its items; None when there is no such id."""
    row = (
        await session.exec(
            select(ReturnRequest, Order.number)
            .join(Order, col(Order.id) == ReturnRequest.order_id)
            .where(ReturnRequest.id == return_id)
            .execution_options(populate_existing=True)
        )
    ).first()
    if row is None:
        return None
    [record] = await _with_items(session, [row])
    return record


async def _with_items(
    session: AsyncSession, rows: list[tuple[ReturnRequest, str]]
) -> list[ReturnRecord]:
    ids = [request.id for request, _ in rows]
    lines: dict[int, list[ReturnLine]] = {}
    if ids:
        result = await session.exec(
            select(ReturnItem, OrderItem)
            .join(OrderItem, col(OrderItem.id) == ReturnItem.order_item_id)
            .where(col(ReturnItem.return_id).in_(ids))
            .order_by(col(ReturnItem.id))
        )
        for item, order_item in result.all():
            lines.setdefault(item.return_id, []).append(
                ReturnLine(item.order_item_id, order_item.sku, order_item.name, item.qty)
            )
    return [
        ReturnRecord(request, number, lines.get(request.id or 0, [])) for request, number in rows
    ]

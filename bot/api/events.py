"""`/api/v1/events`: tracking events one at a time or up to 1,000 per request.

Bulk semantics (documented in the README): the request as a whole must be well-formed
(a JSON object with 1-1,000 `events`), else 422/413 and nothing is written. Then each
event is validated and applied on its own and reported by index: `applied`, `duplicate`
(its `event_id` was seen before: a retry is harmless) or `failed` with the fields at
fault. The events that pass are committed together in one transaction; should the database
still refuse one of them, each is applied on its own, so only that one fails.

Pushes the events cause are enqueued in that transaction; the dispatcher wakes on the
commit (core.pushes.dispatch watches commits that touched the outbox), so nothing here calls it.
"""

from __future__ import annotations

import logging
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Any

from fastapi import APIRouter, Request
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.api.auth import ApiKeyDep, services_of
from bot.api.errors import describe, problem
from bot.api.schemas import BulkEventsIn, BulkItemOut, BulkOut, EventIn, EventOut, FieldError
from core.ingest import (
    ApplyOutcome,
    ApplyResult,
    BadTrackingUpdate,
    TrackingUpdate,
    apply_tracking_update,
    apply_tracking_updates,
    begin_writes,
)

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api/v1", tags=["ingest"])

SOURCE = "api"
_EVENT = TypeAdapter(EventIn)
_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing, unknown or revoked API key"},
    413: {"description": "Body larger than WISMO_MAX_REQUEST_BYTES"},
    422: {"description": "A field is missing or wrong; the body names it"},
}
_REFUSED = "the database could not store this event; nothing of it was written"
_UNKNOWN_TRACKING = "no shipment has this tracking number; create the shipment first"


def to_update(event: EventIn) -> TrackingUpdate:
    """An API event as the core's tracking update (source `api`, your event id)."""
    return TrackingUpdate(
        source=SOURCE,
        source_event_id=event.event_id,
        tracking_number=event.tracking_number,
        status=event.status,
        occurred_at=event.occurred_at,
        raw_status=event.raw_status,
        substatus=event.substatus,
        location=event.location,
        text=event.text,
        eta=event.eta,
        carrier=event.carrier,
    )


def _writer(request: Request) -> AbstractAsyncContextManager[object]:
    """On SQLite, one bulk write at a time per process (it has a single writer anyway)."""
    if services_of(request).database.is_sqlite:
        return request.app.state.ingest_write_lock  # type: ignore[no-any-return]
    return nullcontext()


def _outcome(event_id: str, result: ApplyResult) -> EventOut:
    if result.outcome == ApplyOutcome.UNKNOWN_TRACKING:
        return EventOut(
            event_id=event_id,
            outcome="failed",
            errors=[FieldError(field="tracking_number", message=_UNKNOWN_TRACKING)],
        )
    if result.outcome == ApplyOutcome.DUPLICATE:
        return EventOut(event_id=event_id, outcome="duplicate", shipment_status=result.status)
    return EventOut(event_id=event_id, outcome="applied", shipment_status=result.status)


@router.post("/events", response_model=EventOut, responses=_RESPONSES, summary="Post one event")
async def post_event(body: EventIn, request: Request, key: ApiKeyDep) -> Any:
    """Apply one tracking event. Repeating an `event_id` is a no-op (`duplicate`).

    A status older than the shipment's current one is stored in its timeline but never
    moves the shopper-visible status backwards.
    """
    services = services_of(request)
    try:
        update = to_update(body)
    except BadTrackingUpdate as exc:
        return problem(422, "invalid_request", [{"field": "body", "message": str(exc)}])
    async with _writer(request), services.database.transaction() as session:
        await begin_writes(session)
        result = await apply_tracking_update(session, services.clock, services.config, update)
    out = _outcome(body.event_id, result)
    if out.outcome == "failed":
        return problem(422, "unknown_tracking_number", [e.model_dump() for e in out.errors])
    return out


async def _apply(request: Request, updates: list[TrackingUpdate]) -> list[ApplyResult]:
    services = services_of(request)
    async with _writer(request), services.database.transaction() as session:
        await begin_writes(session)  # all-or-nothing for the valid events, on SQLite too
        return await apply_tracking_updates(session, services.clock, services.config, updates)


async def _apply_alone(request: Request, update: TrackingUpdate) -> ApplyResult | None:
    """One event in its own transaction; None when the database refuses it."""
    try:
        return (await _apply(request, [update]))[0]
    except DBAPIError as exc:
        if isinstance(exc, OperationalError):
            raise
        log.warning("bulk events: event %s refused by the database", update.source_event_id)
        return None


@router.post(
    "/events/bulk", response_model=BulkOut, responses=_RESPONSES, summary="Post up to 1,000 events"
)
async def post_events(body: BulkEventsIn, request: Request, key: ApiKeyDep) -> BulkOut:
    """Apply up to 1,000 events; each one is reported by its index (see the module notes)."""
    results: dict[int, BulkItemOut] = {}
    valid: list[tuple[int, str, TrackingUpdate]] = []
    for index, raw in enumerate(body.events):
        event_id = str(raw.get("event_id", "")) if isinstance(raw, dict) else ""
        try:
            event = _EVENT.validate_python(raw)
            valid.append((index, event.event_id, to_update(event)))
        except ValidationError as exc:
            errors = [
                FieldError(field=f"events.{index}.{e['field']}", message=e["message"])
                for e in describe(exc.errors())
            ]
            results[index] = BulkItemOut(
                index=index, event_id=event_id, outcome="failed", errors=errors
            )
        except BadTrackingUpdate as exc:
            results[index] = BulkItemOut(
                index=index,
                event_id=event_id,
                outcome="failed",
                errors=[FieldError(field=f"events.{index}", message=str(exc))],
            )
    if valid:
        applied: list[ApplyResult | None]
        try:
            applied = list(await _apply(request, [update for _, _, update in valid]))
        except DBAPIError as exc:
            if isinstance(exc, OperationalError):
                raise  # busy or down: the caller retries the whole request (503)
            # A value the checks let through and the database refused: apply one by one,
            # so the event at fault fails alone and its neighbours are still written.
            log.warning("bulk events: the database refused the batch; applying one by one")
            applied = [await _apply_alone(request, update) for _, _, update in valid]
        for (index, event_id, _), result in zip(valid, applied, strict=True):
            if result is None:
                results[index] = BulkItemOut(
                    index=index,
                    event_id=event_id,
                    outcome="failed",
                    errors=[FieldError(field=f"events.{index}", message=_REFUSED)],
                )
                continue
            out = _outcome(event_id, result)
            results[index] = BulkItemOut(
                index=index,
                event_id=event_id,
                outcome=out.outcome,
                shipment_status=out.shipment_status,
                errors=[
                    FieldError(field=f"events.{index}.{e.field}", message=e.message)
                    for e in out.errors
                ],
            )
    ordered = [results[i] for i in range(len(body.events))]
    return BulkOut(
        received=len(ordered),
        applied=sum(r.outcome == "applied" for r in ordered),
        duplicates=sum(r.outcome == "duplicate" for r in ordered),
        failed=sum(r.outcome == "failed" for r in ordered),
        results=ordered,
    )

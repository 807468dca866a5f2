"""Reading and writing a chat's `ConversationState` row for one flow."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from core.runtime.clock import Clock
from core.storage.models import ConversationState


async def load(session: AsyncSession, identity_id: int, flow: str) -> ConversationState | None:
    """The chat's state when it is inside `flow`; None when it is elsewhere or nowhere."""
    state = await session.get(ConversationState, identity_id, populate_existing=True)
    if state is None or state.flow != flow:
        return None
    return state


async def save(
    session: AsyncSession,
    clock: Clock,
    identity_id: int,
    flow: str,
    step: str,
    data: dict[str, Any],
) -> ConversationState:
    """Put the chat at `step` of `flow` (replacing whatever flow it was in)."""
    state = await session.get(ConversationState, identity_id)
    if state is None:
        state = ConversationState(
            identity_id=identity_id, flow=flow, step=step, data={}, updated_at=clock.now()
        )
    state.flow, state.step = flow, step
    state.data = dict(data)  # a new dict, so the JSON column is seen as changed
    state.updated_at = clock.now()
    session.add(state)
    return state


async def clear(session: AsyncSession, identity_id: int, flow: str) -> None:
    """Leave `flow` (a state belonging to another flow is left alone)."""
    state = await session.get(ConversationState, identity_id)
    if state is not None and state.flow == flow:
        await session.delete(state)

"""What the tracking page shows for one order: the same order card the chat shows, plus the
return window and the shop's name, in the reader's language.

The card is `core.tracking.order_reply.order_reply`, so the page, Telegram and the console
never disagree about a status, a date or a window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.replies.messages import format_day, text
from core.replies.reply import Reply
from core.returns.policy import eligibility
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.runtime.zones import zone
from core.storage.models import ChannelIdentity, Order
from core.tracking.lookup import find_order_owner, order_view, orders_of_customer
from core.tracking.order_reply import order_reply
from core.tracking.view_predictions import with_predictions
from core.tracking_page.links import PageLinkError, page_token, page_url, read_page_token


@dataclass(frozen=True)
class TrackingPage:
    """Everything one page shows; all of it plain text, escaped by whoever renders it."""

    shop_name: str
    order_number: str
    card: Reply
    returns_line: str | None  # the return window in words, when there is one to tell
    locale: str | None
    shown_at: datetime
    tz: ZoneInfo  # the delivery address's zone (else the shop's): dates read as at home


async def tracking_page(
    session: AsyncSession, clock: Clock, config: CoreConfig, token: str, locale: str | None
) -> TrackingPage:
    """The page behind `token`; PageLinkError when the token shows nothing (or the order is
    gone: the page says "invalid" then, as for a forged token)."""
    link = read_page_token(config, token, clock.now())
    page = await order_page(session, clock, config, link.order_id, locale)
    if page is None:
        raise PageLinkError("invalid")
    return page


async def order_page(
    session: AsyncSession, clock: Clock, config: CoreConfig, order_id: int, locale: str | None
) -> TrackingPage | None:
    """What the page shows for order `order_id` (None: no such order). The caller has
    checked that the reader may see it."""
    now = clock.now()
    view = await order_view(session, order_id)
    order = await session.get(Order, order_id)
    if view is None or order is None:
        return None
    view = await with_predictions(session, view, now=now, timezone=config.timezone)
    tz = zone(view.timezone, config.timezone)
    card = order_reply(view, tz=tz, now=now, locale=locale, following=None, intent="tracking_page")
    return TrackingPage(
        shop_name=config.shop_name,
        order_number=view.number,
        card=card,
        returns_line=await _returns_line(
            session, clock, config, order, view.any_delivered, tz, locale
        ),
        locale=locale,
        shown_at=now,
        tz=tz,
    )


async def chat_pages(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    channel: str,
    external_id: str,
    locale: str | None,
    *,
    first: str | None = None,
    limit: int = 10,
) -> list[TrackingPage] | None:
    """The pages of the recent orders of the customer a chat has proven to be (order
    `first` on top when it is theirs); None when the chat has proven nothing."""
    identity = await _verified_identity(session, channel, external_id)
    if identity is None or identity.customer_id is None:
        return None
    orders = await orders_of_customer(session, identity.customer_id, limit=limit)
    ordered = sorted(orders, key=lambda o: o.number != first)  # stable: newest first otherwise
    pages = []
    for summary in ordered:
        page = await order_page(session, clock, config, summary.id, locale or identity.locale)
        if page is not None:
            pages.append(page)
    return pages


async def page_urls_for_chat(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    channel: str,
    external_id: str,
    *,
    limit: int = 10,
) -> list[tuple[str, str]]:
    """(order number, tracking-page address) of the recent orders of a verified chat's
    customer, newest first; empty when the chat has proven nothing."""
    identity = await _verified_identity(session, channel, external_id)
    if identity is None or identity.customer_id is None:
        return []
    now = clock.now()
    orders = await orders_of_customer(session, identity.customer_id, limit=limit)
    return [(o.number, page_url(config, page_token(config, o.id, now))) for o in orders]


async def _verified_identity(
    session: AsyncSession, channel: str, external_id: str
) -> ChannelIdentity | None:
    identity = (
        await session.exec(
            select(ChannelIdentity).where(
                ChannelIdentity.channel == channel, ChannelIdentity.external_id == external_id
            )
        )
    ).first()
    return identity if identity is not None and identity.verified_at is not None else None


async def _returns_line(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    order: Order,
    delivered: bool,
    tz: ZoneInfo,
    locale: str | None,
) -> str | None:
    if config.return_window.total_seconds() <= 0 or order.status == "cancelled":
        return None
    if not delivered:  # the policy's queries would only say "not delivered" (most pages)
        days = int(config.return_window.total_seconds() // 86400)
        return text("page.returns_after_delivery", locale, days=days)
    policy = await eligibility(session, clock, config, order)
    if policy.refusal == "window_closed" and policy.deadline is not None:
        return text("page.returns_closed", locale, day=format_day(policy.deadline, tz, locale))
    if policy.refusal is None and policy.deadline is not None:
        return text("page.returns_open", locale, day=format_day(policy.deadline, tz, locale))
    return None


async def page_url_for_order(
    session: AsyncSession, clock: Clock, config: CoreConfig, number: str
) -> str | None:
    """The tracking-page address for order `number` (valid `config.tracking_link_ttl`), or
    None when there is no such order."""
    owner = await find_order_owner(session, number.strip())
    if owner is None:
        return None
    order_id, _customer_id = owner
    return page_url(config, page_token(config, order_id, clock.now()))

"""`GET /t/<token>`: the shopper's tracking page, and `GET /t/<token>/telegram`, which turns
the page's "continue in Telegram" button into a fresh single-use deep link.

The page is HTML rendered on the server (adapters/web); it reveals nothing without a valid
token, and an expired or tampered one gets a plain page that says so (410 / 404), never a
hint whether the order exists.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from adapters.web.page import render_page, render_refusal
from bot.api.auth import services_of
from core.conversation import UnknownOrderError, create_link_token, link_url
from core.replies import CATALOGUES, DEFAULT_LOCALE
from core.storage import Order
from core.tracking_page import PageLinkError, read_page_token, tracking_page

router = APIRouter(tags=["tracking page"])

_HEADERS = {
    # The token is in the address: keep it out of other sites' logs and out of caches.
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    # No scripts and nothing from elsewhere; inline style only.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self' "
    "https://web.telegram.org",
}
_STATUS = {"expired": 410, "invalid": 404}


def page_locale(accept_language: str | None) -> str:
    """The reader's best language that wismo speaks (Accept-Language order), else the default."""
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "")[:500].split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        if tag and weight > 0:
            choices.append((-weight, index, tag.strip().lower()))
    for _, _, tag in sorted(choices):
        for candidate in (tag, tag.split("-")[0]):
            if candidate in CATALOGUES:
                return candidate
    return DEFAULT_LOCALE


@router.get("/t/{token}", response_class=HTMLResponse, summary="The shopper's tracking page")
async def page(token: str, request: Request) -> HTMLResponse:
    """The order behind `token`: status, window, parcels, timeline, returns."""
    services = services_of(request)
    locale = page_locale(request.headers.get("accept-language"))
    try:
        async with services.database.session() as session:
            shown = await tracking_page(session, services.clock, services.config, token, locale)
    except PageLinkError as refused:
        html = render_refusal(refused.reason, services.config.shop_name, locale)
        return HTMLResponse(html, status_code=_STATUS[refused.reason], headers=_HEADERS)
    telegram = f"/t/{token}/telegram" if services.settings.telegram_token else None
    html = render_page(shown, telegram_href=telegram)
    return HTMLResponse(html, headers=_HEADERS)


@router.get("/t/{token}/telegram", summary="Continue in Telegram (a fresh deep link)")
async def continue_in_telegram(token: str, request: Request) -> Response:
    """A single-use deep link for the page's order, as a redirect to t.me."""
    services = services_of(request)
    locale = page_locale(request.headers.get("accept-language"))
    try:
        link = read_page_token(services.config, token, services.clock.now())
        async with services.database.transaction() as session:
            order = await session.get(Order, link.order_id)
            if order is None:
                raise PageLinkError("invalid")
            deep_token = await create_link_token(
                session, services.clock, services.config, order.number
            )
    except (PageLinkError, UnknownOrderError) as refused:
        reason = refused.reason if isinstance(refused, PageLinkError) else "invalid"
        html = render_refusal(reason, services.config.shop_name, locale)
        return HTMLResponse(html, status_code=_STATUS[reason], headers=_HEADERS)
    return RedirectResponse(
        link_url(services.config, deep_token), status_code=303, headers=_HEADERS
    )

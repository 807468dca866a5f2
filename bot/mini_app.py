"""The tracking page as a Telegram Mini App: `GET /app` (what the order card's Details button
opens inside Telegram) and `POST /app/orders` (its script sends Telegram's initData there).

Nothing is shown before the initData signature checks out against the bot's token, and
then only the orders of the customer that chat has proven to be.
"""

from __future__ import annotations

import base64
import hashlib
import logging

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from adapters.telegram.web_app import MAX_INIT_DATA, InitDataRefused, check_init_data
from adapters.web.page import APP_SCRIPT, render_app_shell, render_notice, render_pages
from bot.api.auth import services_of
from bot.tracking_page import page_locale
from core.replies import text
from core.tracking_page import chat_pages

log = logging.getLogger(__name__)
router = APIRouter(tags=["tracking page"])

_SCRIPT_HASH = base64.b64encode(hashlib.sha256(APP_SCRIPT.encode()).digest()).decode()
_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    # The shell's one script (by its hash) may call this server, nothing else.
    "Content-Security-Policy": f"default-src 'none'; script-src 'sha256-{_SCRIPT_HASH}'; "
    "connect-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self' https://web.telegram.org",
}


def _refused(locale: str) -> HTMLResponse:
    html = render_notice(text("app.refused.title", locale), text("app.refused", locale), locale)
    return HTMLResponse(html, status_code=401, headers=_HEADERS)


@router.get("/app", response_class=HTMLResponse, summary="The Mini App (inside Telegram)")
async def shell(request: Request) -> HTMLResponse:
    """The page Telegram opens; its script signs the reader in with initData."""
    services = services_of(request)
    if not services.settings.telegram_token:
        return HTMLResponse("Not Found", status_code=404)
    locale = page_locale(request.headers.get("accept-language"))
    return HTMLResponse(render_app_shell(services.config.shop_name, locale), headers=_HEADERS)


@router.post("/app/orders", response_class=HTMLResponse, summary="The Mini App's orders")
async def orders(request: Request, order: str = "") -> HTMLResponse:
    """The signed-in chat's orders (`order` first), or a refusal that shows nothing."""
    services = services_of(request)
    token = services.settings.telegram_token
    locale = page_locale(request.headers.get("accept-language"))
    if not token:
        return HTMLResponse("Not Found", status_code=404)
    body = await request.body()
    try:
        if len(body) > MAX_INIT_DATA:
            raise InitDataRefused("oversized initData")
        user = check_init_data(body.decode("utf-8", "replace"), token, services.clock.now())
    except InitDataRefused as refused:
        log.info("Mini App request refused: %s", refused)
        return _refused(locale)
    locale = page_locale(user.language_code) if user.language_code else locale
    async with services.database.session() as session:
        pages = await chat_pages(
            session,
            services.clock,
            services.config,
            "telegram",
            str(user.id),
            locale,
            first=order[:32] or None,
        )
    if pages is None:
        return HTMLResponse(
            render_notice(text("app.none.title", locale), text("app.none", locale), locale),
            headers=_HEADERS,
        )
    return HTMLResponse(render_pages(pages, services.config.shop_name, locale), headers=_HEADERS)

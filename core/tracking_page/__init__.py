"""The shopper's tracking page: a signed, expiring link per order (`/t/<token>`, for the
shop's e-mails) and what the page shows — the chat's own order card, the return window and
the shop's name. The HTML is the web adapter's (adapters/web); the route is bot/'s.

- links: `page_token`, `page_url`, `read_page_token` (PageLinkError "invalid" / "expired").
- content: `tracking_page` (TrackingPage), `order_page`, `chat_pages` (the Mini App: a
  verified chat's orders), `page_url_for_order` (for `wismo link --web`).
"""

from typing import TYPE_CHECKING

from core import lazy_exports

if TYPE_CHECKING:
    from core.tracking_page.content import (
        TrackingPage,
        chat_pages,
        order_page,
        page_url_for_order,
        page_urls_for_chat,
        tracking_page,
    )
    from core.tracking_page.links import (
        PageLink,
        PageLinkError,
        page_token,
        page_url,
        read_page_token,
    )

__all__ = [
    "PageLink",
    "PageLinkError",
    "TrackingPage",
    "chat_pages",
    "order_page",
    "page_token",
    "page_url",
    "page_url_for_order",
    "page_urls_for_chat",
    "read_page_token",
    "tracking_page",
]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "PageLink": "core.tracking_page.links",
        "PageLinkError": "core.tracking_page.links",
        "TrackingPage": "core.tracking_page.content",
        "chat_pages": "core.tracking_page.content",
        "order_page": "core.tracking_page.content",
        "page_token": "core.tracking_page.links",
        "page_url": "core.tracking_page.links",
        "page_url_for_order": "core.tracking_page.content",
        "page_urls_for_chat": "core.tracking_page.content",
        "read_page_token": "core.tracking_page.links",
        "tracking_page": "core.tracking_page.content",
    },
)

"""A `TrackingPage` as HTML: semantic, readable on a phone, no scripts, no external requests.

Every value from the shop, the carrier or the shopper goes through `html.escape`; only
http(s) addresses become links. The style is inline so the page is one response; colours
keep a contrast ratio above 7:1 (AAA) for body text.
"""

from __future__ import annotations

from html import escape as _escape
from zoneinfo import ZoneInfo

from core.replies import KeyValue, Section, format_moment, text
from core.tracking_page import TrackingPage

_STYLE = """
:root{color-scheme:light dark;--fg:#1b1b1b;--muted:#4a4a4a;--bg:#fff;--line:#d4d4d4;
--accent:#0b57d0}
@media (prefers-color-scheme:dark){:root{--fg:#f1f1f1;--muted:#c8c8c8;--bg:#121212;
--line:#3a3a3a;--accent:#8ab4f8}}
*{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:var(--fg);background:var(--bg)}
main{max-width:40rem;margin:0 auto;padding:1rem}
header p{margin:0;color:var(--muted)}
h1{font-size:1.5rem;margin:.25rem 0 .5rem}
h2{font-size:1.15rem;margin:1.5rem 0 .25rem}
.status{font-size:1.1rem;margin:.25rem 0 1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 1rem}
dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
ol.timeline{list-style:none;margin:0;padding:0 0 0 1rem;border-left:2px solid var(--line)}
ol.timeline li{margin:0 0 .75rem;position:relative}
ol.timeline li::before{content:"";position:absolute;left:-1.4rem;top:.45rem;width:.6rem;
height:.6rem;border-radius:50%;background:var(--accent)}
time{display:block;color:var(--muted);font-size:.9rem}
a{color:var(--accent)}
a.button{display:inline-block;margin:1rem 0;padding:.6rem 1rem;border-radius:.5rem;
background:var(--accent);color:var(--bg);text-decoration:none;font-weight:600}
footer{margin-top:2rem;color:var(--muted);font-size:.9rem}
"""


def escape(value: str) -> str:
    """Text for an element's content (`<`, `>`, `&`); attributes use `attribute`."""
    return _escape(value, quote=False)


def attribute(value: str) -> str:
    """Text for a double-quoted attribute value."""
    return _escape(value, quote=True)


def _lang(locale: str | None) -> str:
    return attribute((locale or "en").split("-")[0].lower() or "en")


def _document(title: str, body: str, locale: str | None) -> str:
    return (
        f'<!doctype html><html lang="{_lang(locale)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="robots" content="noindex,nofollow">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def _value(field: KeyValue) -> str:
    value = field.value.strip()
    if value.startswith(("https://", "http://")) and " " not in value:
        return f'<a href="{attribute(value)}" rel="noopener noreferrer">{escape(value)}</a>'
    return escape(field.value)


def _section(section: Section, tz: ZoneInfo, locale: str | None, *, first: bool) -> str:
    parts = []
    if section.title:
        tag = "h1" if first else "h2"
        parts.append(f"<{tag}>{escape(section.title)}</{tag}>")
    if section.text:
        parts.append(f'<p class="status">{escape(section.text)}</p>')
    if section.fields:
        rows = "".join(f"<dt>{escape(f.label)}</dt><dd>{_value(f)}</dd>" for f in section.fields)
        parts.append(f"<dl>{rows}</dl>")
    if section.timeline:
        items = []
        for entry in section.timeline:
            where = f" — {escape(entry.location)}" if entry.location else ""
            moment = escape(format_moment(entry.at, tz, locale))
            items.append(
                f'<li><time datetime="{entry.at.isoformat()}">{moment}</time>'
                f"{escape(entry.text)}{where}</li>"
            )
        parts.append(f'<ol class="timeline">{"".join(items)}</ol>')
    return f"<section>{''.join(parts)}</section>"


def render_page(page: TrackingPage, *, telegram_href: str | None) -> str:
    """The whole page for `page`; `telegram_href` adds the "continue in Telegram" link."""
    locale, tz = page.locale, page.tz
    body = [f"<header><p>{escape(page.shop_name)}</p></header>", _order_body(page)]
    if telegram_href:
        body.append(
            f'<p><a class="button" href="{attribute(telegram_href)}">'
            f"{escape(text('page.telegram', locale))}</a><br>"
            f"{escape(text('page.telegram_hint', locale))}</p>"
        )
    moment = format_moment(page.shown_at, tz, locale)
    body.append(f"<footer>{escape(text('page.updated', locale, moment=moment))}</footer>")
    title = text("page.title", locale, number=page.order_number, shop=page.shop_name)
    return _document(title, "".join(body), locale)


def render_refusal(reason: str, shop_name: str, locale: str | None) -> str:
    """The plain page for a token that shows nothing ("expired" or "invalid")."""
    key = "page.expired" if reason == "expired" else "page.invalid"
    return render_notice(text(f"{key}.title", locale), text(key, locale, shop=shop_name), locale)


def _order_body(page: TrackingPage) -> str:
    locale, tz = page.locale, page.tz
    parts = [
        _section(section, tz, locale, first=index == 0)
        for index, section in enumerate(page.card.sections)
    ]
    if page.returns_line:
        parts.append(
            f"<section><h2>{escape(text('page.returns', locale))}</h2>"
            f"<p>{escape(page.returns_line)}</p></section>"
        )
    return "".join(parts)


def render_pages(pages: list[TrackingPage], shop_name: str, locale: str | None) -> str:
    """Several orders on one page (the Mini App: a verified chat's recent orders)."""
    if not pages:
        return render_notice(text("app.none.title", locale), text("app.none", locale), locale)
    body = [f"<header><p>{escape(shop_name)}</p></header>"]
    body += [f"<article>{_order_body(page)}</article>" for page in pages]
    moment = format_moment(pages[0].shown_at, pages[0].tz, locale)
    body.append(f"<footer>{escape(text('page.updated', locale, moment=moment))}</footer>")
    return _document(text("app.title", locale, shop=shop_name), "".join(body), locale)


def render_notice(title: str, message: str, locale: str | None) -> str:
    """A plain page of one heading and one paragraph."""
    return _document(title, f"<h1>{escape(title)}</h1><p>{escape(message)}</p>", locale)


# The Mini App's only script: hand Telegram's initData (in the address's fragment) to the
# server, which checks its signature, and show what comes back.
APP_SCRIPT = (
    "(function(){var h=new URLSearchParams(location.hash.slice(1));"
    "var o=new URLSearchParams(location.search).get('order')||'';"
    "fetch('/app/orders?order='+encodeURIComponent(o),{method:'POST',"
    "headers:{'Content-Type':'text/plain'},body:h.get('tgWebAppData')||''})"
    ".then(function(r){return r.text()})"
    ".then(function(t){document.open();document.write(t);document.close()})})();"
)


def render_app_shell(shop_name: str, locale: str | None) -> str:
    """The Mini App's first page: the shop's name and the script that signs the reader in."""
    body = (
        f"<header><p>{escape(shop_name)}</p></header><p>{escape(text('app.loading', locale))}</p>"
    )
    document = _document(text("app.title", locale, shop=shop_name), body, locale)
    return document.replace("</body>", f"<script>{APP_SCRIPT}</script></body>")

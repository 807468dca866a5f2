"""The core's own configuration: plain values the composition root copies from the settings.

The core never reads the environment; `bot` builds one `CoreConfig` at start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta


@dataclass(frozen=True)
class CoreConfig:
    secret_key: str = "change-me"
    shop_name: str = "the shop"  # read mid-sentence: "I'm the order assistant for the shop"
    timezone: str = "UTC"
    order_number_pattern: str = r"\d{3,10}"
    # A chat's language when neither its messages nor its app say one wismo speaks.
    default_language: str = "en"
    telegram_bot_username: str = "wismo_bot"
    # Verification
    verify_max_attempts: int = 5
    verify_window: timedelta = timedelta(hours=1)
    link_token_ttl: timedelta = timedelta(hours=72)
    # The tracking page: where wismo's HTTP app is reached from outside, and for how long a
    # page link (core.tracking_page) opens its order.
    public_url: str = "http://127.0.0.1:8080"
    tracking_link_ttl: timedelta = timedelta(days=90)
    # Pushes and jobs
    quiet_hours_start: time = time(21, 0)
    quiet_hours_end: time = time(8, 0)
    # A push that falls in quiet hours: "hold" it until they end, or send it now "silent"ly.
    quiet_hours_mode: str = "hold"
    # Channels whose followers get one live status message per order, edited in place as
    # scans arrive (core.pushes.live); elsewhere only the milestone pushes.
    live_status_channels: tuple[str, ...] = ()
    poll_every: timedelta = timedelta(hours=2)
    stuck_after: timedelta = timedelta(hours=72)
    dispatch_max_attempts: int = 8
    notify_shopper_on_exception: bool = True
    slack_alerts_channel: str | None = None
    # (kind or "kind:carrier", channel id) pairs from WISMO_SLACK_ROUTES; see core.staff.routes.
    slack_routes: tuple[tuple[str, str], ...] = ()
    slack_support_channel: str | None = None
    # Returns and support
    return_window: timedelta = timedelta(days=30)
    return_address: str = ""
    return_label_url_template: str = ""
    support_contact: str = ""  # how shoppers reach the shop, e.g. "help@shop.example"
    support_hours: str = "09:00-17:00"
    support_days: str = "mon-fri"
    support_timezone: str | None = None
    handoff_idle: timedelta = timedelta(hours=24)
    # A hand-off thread message starting with this stays in Slack (core.handoff.notes).
    handoff_note_marker: str = "note:"
    # "Delivered but not received": how long after the delivery scan a report becomes a staff
    # case (zero: at once); a report before then is kept, and staff are alerted when it ends.
    not_received_wait: timedelta = timedelta(hours=24)

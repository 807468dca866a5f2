"""The database: the SQLModel tables, the engine and sessions, the schema and its Alembic
migrations, and the small row-level helpers every part shares.

- db: `Database` (engine, sessions, `transaction()`), SQLite set-up (WAL, busy timeout).
- models: every table; columns: the UTC datetime column type; sqltime: portable SQL time math.
- schema + migrations/: `upgrade`, `ensure_current` (wismo refuses an unknown schema).
- sqlite_driver, hot_sql: the fast path for SQLite (see their docstrings before editing).
- inbox: webhook updates stored before the 200, until handled (`UpdateInbox`).
- locks (once-a-day work), dedupe (redelivered updates answered once), audit (who did what),
  conversation_state (a chat's step in a multi-step flow).
"""

from typing import TYPE_CHECKING

from core import lazy_exports

if TYPE_CHECKING:
    from core.storage import audit, schema
    from core.storage.db import Database, database_unavailable, refresh_planner_statistics
    from core.storage.dedupe import first_delivery, forget_delivery, prune_deliveries
    from core.storage.inbox import UpdateInbox
    from core.storage.models import (
        ApiKey,
        Flag,
        HandoffThread,
        InboundLog,
        Notification,
        Order,
        OrderItem,
        ReturnItem,
        ReturnRequest,
        Shipment,
        Subscription,
        TrackingEvent,
    )
    from core.storage.schema import UnknownSchemaError

__all__ = [
    "ApiKey",
    "Database",
    "Flag",
    "HandoffThread",
    "InboundLog",
    "Notification",
    "Order",
    "OrderItem",
    "ReturnItem",
    "ReturnRequest",
    "Shipment",
    "Subscription",
    "TrackingEvent",
    "UnknownSchemaError",
    "UpdateInbox",
    "audit",
    "database_unavailable",
    "first_delivery",
    "forget_delivery",
    "prune_deliveries",
    "refresh_planner_statistics",
    "schema",
]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "ApiKey": "core.storage.models",
        "Database": "core.storage.db",
        "Flag": "core.storage.models",
        "HandoffThread": "core.storage.models",
        "InboundLog": "core.storage.models",
        "Notification": "core.storage.models",
        "Order": "core.storage.models",
        "OrderItem": "core.storage.models",
        "ReturnItem": "core.storage.models",
        "ReturnRequest": "core.storage.models",
        "Shipment": "core.storage.models",
        "Subscription": "core.storage.models",
        "TrackingEvent": "core.storage.models",
        "UnknownSchemaError": "core.storage.schema",
        "UpdateInbox": "core.storage.inbox",
        "audit": "core.storage.audit",
        "database_unavailable": "core.storage.db",
        "first_delivery": "core.storage.dedupe",
        "forget_delivery": "core.storage.dedupe",
        "prune_deliveries": "core.storage.dedupe",
        "refresh_planner_statistics": "core.storage.db",
        "schema": "core.storage.schema",
    },
)

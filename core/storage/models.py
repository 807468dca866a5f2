"""The domain's tables. Times are timezone-aware UTC, money is integer minor units.

Everything a replica needs to answer the next message lives here (conversation state,
verification attempts, processed update ids), never in one process's memory.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from core.storage.columns import UTCDateTime


def _when(*, index: bool = False, nullable: bool = True) -> Any:
    return Field(default=None, sa_type=UTCDateTime, index=index, nullable=nullable)


# "Due since long ago": a new order is examined by exception detection on its next tick,
# however it was inserted (ORM, bulk Core insert or plain SQL).
WATCH_FROM = datetime(2000, 1, 1, tzinfo=UTC)


class Customer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    external_id: str | None = Field(default=None, unique=True, max_length=128)
    email: str = Field(index=True, max_length=320)  # stored lower-case
    name: str = Field(default="", max_length=200)
    phone: str | None = Field(default=None, max_length=64)
    timezone: str | None = Field(default=None, max_length=64)
    locale: str | None = Field(default=None, max_length=16)
    created_at: datetime = Field(sa_type=UTCDateTime)

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else ""


class Order(SQLModel, table=True):
    __tablename__ = "shop_order"  # "order" is a reserved word
    # Insights' rollups refresh what changed since their last refresh.
    __table_args__ = (Index("ix_shop_order_updated", "updated_at"),)

    id: int | None = Field(default=None, primary_key=True)
    external_id: str | None = Field(default=None, unique=True, max_length=128)
    number: str = Field(unique=True, max_length=64)  # what the shopper sees, e.g. "1001"
    customer_id: int = Field(foreign_key="customer.id", index=True)
    status: str = Field(default="placed", max_length=32)
    placed_at: datetime = Field(sa_type=UTCDateTime)
    promised_by: datetime | None = _when()
    processing_at: datetime | None = _when()
    shipped_at: datetime | None = _when()
    delivered_at: datetime | None = _when()
    cancelled_at: datetime | None = _when()
    total_minor: int = 0
    currency: str = Field(default="EUR", max_length=3)
    ship_name: str = Field(default="", max_length=200)
    ship_street: str = Field(default="", max_length=300)
    ship_city: str = Field(default="", max_length=120)
    ship_postcode: str = Field(default="", max_length=32)
    ship_country: str = Field(default="", max_length=2)
    ship_timezone: str | None = Field(default=None, max_length=64)
    note: str = Field(default="", sa_type=Text)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    # When exception detection next looks at the order; NULL once there is nothing to watch.
    next_check_at: datetime | None = Field(
        default=WATCH_FROM,
        sa_type=UTCDateTime,
        index=True,
        nullable=True,
        sa_column_kwargs={"server_default": text("'2000-01-01 00:00:00'")},
    )


class OrderItem(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="shop_order.id", index=True)
    sku: str = Field(max_length=64)
    name: str = Field(max_length=300)
    qty: int = 1
    price_minor: int = 0
    returnable: bool = True  # False for final-sale items


class Shipment(SQLModel, table=True):
    __table_args__ = (
        Index("ix_shipment_due", "next_poll_at"),
        Index("ix_shipment_tracking", "tracking_number"),
        # Today's deliveries on the staff Home tab (and insights' periods) read a range of it.
        Index("ix_shipment_delivered", "delivered_at"),
        # Insights' rollups refresh what changed since their last refresh.
        Index("ix_shipment_updated", "updated_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    external_id: str | None = Field(default=None, unique=True, max_length=128)
    order_id: int = Field(foreign_key="shop_order.id", index=True)
    carrier: str = Field(max_length=64)
    tracking_number: str = Field(max_length=128)
    tracking_url: str | None = Field(default=None, max_length=500)
    status: str = Field(default="pending", max_length=32)
    substatus: str | None = Field(default=None, max_length=64)
    last_location: str | None = Field(default=None, max_length=200)
    eta: datetime | None = _when()
    last_event_at: datetime | None = _when()
    next_poll_at: datetime | None = _when()  # NULL: nothing to poll (delivered or pushed)
    poll_failures: int = 0
    shipped_at: datetime | None = _when()
    delivered_at: datetime | None = _when()
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class TrackingEvent(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("source", "source_event_id", name="uq_event_source"),)

    id: int | None = Field(default=None, primary_key=True)
    shipment_id: int = Field(foreign_key="shipment.id", index=True)
    status: str = Field(max_length=32)
    substatus: str | None = Field(default=None, max_length=64)
    raw_status: str | None = Field(default=None, max_length=128)  # the source's own code
    location: str | None = Field(default=None, max_length=200)
    text: str = Field(default="", max_length=500)
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    source: str = Field(max_length=64)
    source_event_id: str = Field(max_length=200)
    created_at: datetime = Field(sa_type=UTCDateTime)


class ChannelIdentity(SQLModel, table=True):
    """A chat participant on one channel (a Telegram chat, a Slack user, a console user)."""

    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_identity_channel"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    external_id: str = Field(max_length=128)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    display_name: str = Field(default="", max_length=200)
    locale: str | None = Field(default=None, max_length=16)
    timezone: str | None = Field(default=None, max_length=64)
    verified_at: datetime | None = _when()
    pushes_enabled: bool = True  # False after /stop
    blocked_at: datetime | None = _when()  # the platform told us the user blocked the bot
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_seen_at: datetime | None = _when()


class Subscription(SQLModel, table=True):
    """An identity following an order's status changes."""

    __table_args__ = (UniqueConstraint("identity_id", "order_id", name="uq_subscription"),)

    id: int | None = Field(default=None, primary_key=True)
    identity_id: int = Field(foreign_key="channelidentity.id", index=True)
    order_id: int = Field(foreign_key="shop_order.id", index=True)
    active: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Notification(SQLModel, table=True):
    """The outbox: a push to send, written in the same transaction as its cause."""

    __table_args__ = (
        Index("ix_notification_due", "state", "not_before"),
        # Per-chat ordering: the dispatcher looks for an earlier unsent push to the same chat.
        Index("ix_notification_chat", "channel", "recipient", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # NULL for staff alerts, which go to a Slack channel rather than to one shopper.
    identity_id: int | None = Field(default=None, foreign_key="channelidentity.id", index=True)
    channel: str = Field(max_length=32)
    recipient: str = Field(max_length=128)  # the channel's address (chat id, Slack channel)
    order_id: int | None = Field(default=None, foreign_key="shop_order.id")
    shipment_id: int | None = Field(default=None, foreign_key="shipment.id")
    kind: str = Field(max_length=48)
    subject_type: str | None = Field(default=None, max_length=32)  # flag|return|handoff|...
    subject_id: int | None = None
    dedupe_key: str = Field(unique=True, max_length=200)  # never the same change twice
    reply: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    urgent: bool = False
    state: str = Field(default="pending", max_length=16)  # pending|claimed|sent|failed|cancelled
    not_before: datetime = Field(sa_type=UTCDateTime)
    attempts: int = 0
    claimed_by: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = _when()
    last_error: str | None = Field(default=None, max_length=500)
    external_ref: str | None = Field(default=None, max_length=128)
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = _when()


class LiveStatus(SQLModel, table=True):
    """One chat's live status message for a followed order: a single message edited in place
    as scans arrive (core.pushes.live), so that only milestones make the phone buzz."""

    __table_args__ = (
        UniqueConstraint("identity_id", "order_id", name="uq_livestatus_chat_order"),
        Index("ix_livestatus_due", "state", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    identity_id: int = Field(foreign_key="channelidentity.id")
    order_id: int = Field(foreign_key="shop_order.id", index=True)
    channel: str = Field(max_length=32)
    recipient: str = Field(max_length=128)
    message_ref: str | None = Field(default=None, max_length=128)  # the message to edit
    state: str = Field(default="pending", max_length=16)  # pending|claimed|current|failed
    # Bumped by every change to show; an edit made from an older version is followed by another.
    version: int = 1
    shown_version: int = 0
    due_at: datetime = Field(sa_type=UTCDateTime)
    attempts: int = 0
    claimed_by: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = _when()
    last_error: str | None = Field(default=None, max_length=500)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Flag(SQLModel, table=True):
    """An issue on an order that staff should look at."""

    # The staff queue reads the open flags oldest first; resolved ones pile up beside them.
    __table_args__ = (Index("ix_flag_open", "state", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="shop_order.id", index=True)
    shipment_id: int | None = Field(default=None, foreign_key="shipment.id")
    kind: str = Field(max_length=32)  # late|stuck|failed_attempt|exception|expired|damaged|...
    source: str = Field(default="staff", max_length=16)  # staff|detector|shopper
    state: str = Field(default="open", max_length=16)  # open|resolved
    open_key: str | None = Field(default=None, unique=True, max_length=200)  # one open per problem
    note: str = Field(default="", sa_type=Text)
    notify_shopper: bool = False
    raised_by: str | None = Field(default=None, max_length=64)
    assigned_to: str | None = Field(default=None, max_length=64)
    resolved_by: str | None = Field(default=None, max_length=64)
    resolution_note: str = Field(default="", sa_type=Text)
    slack_channel: str | None = Field(default=None, max_length=32)
    slack_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime)
    resolved_at: datetime | None = _when()
    # A shopper's report: the facts it rests on and photo references (core.staff.reports).
    evidence: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    # Repeat reports of the same problem by the same shopper while the flag is open.
    escalations: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})


class ReturnRequest(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="shop_order.id", index=True)
    identity_id: int | None = Field(default=None, foreign_key="channelidentity.id")
    state: str = Field(default="requested", max_length=16, index=True)
    reason: str = Field(max_length=32)
    comment: str = Field(default="", sa_type=Text)
    rma_code: str | None = Field(default=None, unique=True, max_length=32)
    decided_by: str | None = Field(default=None, max_length=64)
    decided_at: datetime | None = _when()
    decline_reason: str | None = Field(default=None, max_length=32)
    decline_note: str = Field(default="", max_length=500)
    received_at: datetime | None = _when()
    refunded_at: datetime | None = _when()
    cancelled_at: datetime | None = _when()
    slack_channel: str | None = Field(default=None, max_length=32)
    slack_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class ReturnItem(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    return_id: int = Field(foreign_key="returnrequest.id", index=True)
    order_item_id: int = Field(foreign_key="orderitem.id", index=True)
    qty: int = 1


class AuditEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    actor: str = Field(max_length=128)  # e.g. "slack:U012AB3CD"
    action: str = Field(max_length=64)
    subject_type: str = Field(max_length=32)
    subject_id: str = Field(max_length=64)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    at: datetime = Field(sa_type=UTCDateTime, index=True)


class LinkToken(SQLModel, table=True):
    """A signed deep-link token's server side: which order it opens, and whether it was used."""

    id: str = Field(primary_key=True, max_length=32)
    order_id: int = Field(foreign_key="shop_order.id", index=True)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = _when()
    used_by_identity_id: int | None = Field(default=None, foreign_key="channelidentity.id")
    created_at: datetime = Field(sa_type=UTCDateTime)


class VerificationAttempt(SQLModel, table=True):
    """A failed proof of ownership; counted per identity, and per order number for postcodes."""

    __table_args__ = (Index("ix_attempt_scope", "scope", "key", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=16)  # identity|postcode
    key: str = Field(max_length=128)
    at: datetime = Field(sa_type=UTCDateTime)


class ConversationState(SQLModel, table=True):
    """Where a multi-step conversation stands, so any replica can take the next message."""

    identity_id: int = Field(primary_key=True, foreign_key="channelidentity.id")
    flow: str = Field(max_length=32)
    step: str = Field(max_length=32)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(sa_type=UTCDateTime)


class ProcessedUpdate(SQLModel, table=True):
    """An inbound platform update already handled (Telegram update_id, Slack event_id)."""

    __table_args__ = (UniqueConstraint("channel", "update_key", name="uq_processed_update"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    update_key: str = Field(max_length=128)
    at: datetime = Field(sa_type=UTCDateTime, index=True)


class InboundUpdate(SQLModel, table=True):
    """A webhook update kept before its platform is told "received", until it is handled.

    `held_until` is the lease of the replica handling it; past it, any replica takes it
    up again (the one that kept it may have crashed). Handled updates are deleted.
    """

    __tablename__ = "inbound_update"
    __table_args__ = (UniqueConstraint("channel", "update_key", name="uq_inbound_update"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    update_key: str = Field(max_length=128)
    body: str = Field(sa_column=Column(Text, nullable=False))
    received_at: datetime = Field(sa_type=UTCDateTime)
    held_until: datetime = Field(sa_type=UTCDateTime, index=True)


class JobLock(SQLModel, table=True):
    """A named lease: once-a-day work and singletons take it before running."""

    name: str = Field(primary_key=True, max_length=64)
    holder: str = Field(max_length=64)
    until: datetime = Field(sa_type=UTCDateTime)


class ApiKey(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=64)
    prefix: str = Field(max_length=16)
    key_hash: str = Field(unique=True, max_length=128)
    created_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = _when()
    last_used_at: datetime | None = _when()


class HandoffThread(SQLModel, table=True):
    """A shopper's conversation handed to a person in Slack."""

    id: int | None = Field(default=None, primary_key=True)
    identity_id: int = Field(foreign_key="channelidentity.id", index=True)
    order_id: int | None = Field(default=None, foreign_key="shop_order.id")
    state: str = Field(default="waiting", max_length=16)  # waiting|taken|closed
    slack_channel: str | None = Field(default=None, max_length=32)
    slack_thread_ts: str | None = Field(default=None, max_length=32, index=True)
    agent_id: str | None = Field(default=None, max_length=64)
    agent_name: str | None = Field(default=None, max_length=100)
    last_activity_at: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
    closed_at: datetime | None = _when()


class InboundLog(SQLModel, table=True):
    """One shopper question and how it was answered; the base of WISMO insights."""

    id: int | None = Field(default=None, primary_key=True)
    identity_id: int | None = Field(default=None, foreign_key="channelidentity.id")
    channel: str = Field(max_length=32)
    intent: str = Field(max_length=32, index=True)
    answered_by_bot: bool = True
    at: datetime = Field(sa_type=UTCDateTime, index=True)


ALL_TABLES = SQLModel.metadata


class InsightFact(SQLModel, table=True):
    """One shipment's (`source` "s") or order's ("o") part in an insights measure.

    `measure` is a stage (`core.insights.types.STAGES`) or "delivered"; `at` is when it
    ended, `day` its UTC day number, `seconds` the stage's duration and `bucket` its
    histogram bucket (for "delivered": 0 no promise, 1 late, 2 on time). Kept current by
    `core.insights.rollups`, from which the report reads.
    """

    __tablename__ = "insight_fact"
    __table_args__ = (
        Index("ix_insight_fact_at", "measure", "at"),
        Index("ix_insight_fact_day", "day"),
    )

    source: str = Field(primary_key=True, max_length=1)
    source_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    measure: str = Field(primary_key=True, max_length=32)
    at: datetime = Field(sa_type=UTCDateTime)
    day: int = Field(sa_type=BigInteger)
    carrier: str = Field(default="", max_length=64)  # "" for order stages
    place: str = Field(default="", max_length=40)  # "transit": "COUNTRY|POSTCODE PREFIX"
    bucket: int = Field(sa_type=BigInteger)
    seconds: float


class InsightDay(SQLModel, table=True):
    """The facts of one UTC day summed per measure, carrier and bucket: a month of
    deliveries is read as a few thousand rows."""

    __tablename__ = "insight_day"

    day: int = Field(
        primary_key=True, sa_type=BigInteger, sa_column_kwargs={"autoincrement": False}
    )
    measure: str = Field(primary_key=True, max_length=32)
    carrier: str = Field(primary_key=True, max_length=64)
    bucket: int = Field(
        primary_key=True, sa_type=BigInteger, sa_column_kwargs={"autoincrement": False}
    )
    count: int = Field(sa_type=BigInteger)
    seconds: float


class InsightHour(SQLModel, table=True):
    """Deliveries per UTC hour, carrier, place and whole hours in transit (the "transit"
    facts): the history the backtest of predicted windows replays, hour by hour."""

    __tablename__ = "insight_hour"

    day: int = Field(
        primary_key=True, sa_type=BigInteger, sa_column_kwargs={"autoincrement": False}
    )
    hour: int = Field(
        primary_key=True, sa_type=BigInteger, sa_column_kwargs={"autoincrement": False}
    )
    carrier: str = Field(primary_key=True, max_length=64)
    place: str = Field(primary_key=True, max_length=40)
    transit_hour: int = Field(
        primary_key=True, sa_type=BigInteger, sa_column_kwargs={"autoincrement": False}
    )
    count: int = Field(sa_type=BigInteger)


class InsightState(SQLModel, table=True):
    """How far the rollups are built: NULL until the first full build."""

    __tablename__ = "insight_state"

    id: int = Field(primary_key=True)
    built_through: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    generation: int = 0  # moved by every "build from scratch" request

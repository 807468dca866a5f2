"""What a shopper can ask for once we know who they are: orders, updates, pushes on/off.

Every function takes the conversation's FlowContext and returns replies. Unverified
chats are sent to verification first (with the action to resume afterwards), and a
verified chat asking about an order that is not its customer's gets the same answer
whether that order exists or not.
"""

from __future__ import annotations

from core.conversation.flow_context import FlowContext
from core.conversation.verify_flow import ask_other_customer
from core.pushes.following import follow, follow_open_orders
from core.pushes.notifications import set_pushes, unfollow
from core.replies.reply import Button, Reply
from core.tracking.lookup import orders_of_customer, with_parcel_statuses
from core.tracking.order_reply import details_button, order_reply, orders_reply
from core.tracking.view_predictions import with_predictions
from core.tracking_page.links import page_token, page_url

LIST_LIMIT = 10
PICK_LIMIT = 6


async def track(
    ctx: FlowContext, number: str | None, *, intent: str = "track_order"
) -> list[Reply]:
    """Where is my order (a given one, or the one on its way)."""
    if ctx.customer_id is None:
        return await ctx.verify_first("track", number)
    if number:
        view = await ctx.owned_order(number, with_following=True)
        if view is None:
            return await ask_other_customer(ctx, "track", number)
        now = ctx.clock.now()
        view = await with_predictions(ctx.session, view, now=now, timezone=ctx.config.timezone)
        reply = order_reply(
            view,
            tz=ctx.tz,
            now=now,
            locale=ctx.locale,
            following=view.following,
            intent=intent,
        )
        details = details_button(ctx.config.public_url, view.number, ctx.locale)
        if details is not None:
            reply.buttons.append(details)
        return [reply]
    active = await orders_of_customer(
        ctx.session, ctx.customer_id, limit=PICK_LIMIT, active_only=True
    )
    if len(active) == 1:
        return await track(ctx, active[0].number, intent=intent)
    if active:
        return [
            orders_reply(
                await with_parcel_statuses(ctx.session, active),
                tz=ctx.tz,
                now=ctx.clock.now(),
                locale=ctx.locale,
                intent=intent,
                title_key="orders.pick",
            )
        ]
    recent = await orders_of_customer(ctx.session, ctx.customer_id, limit=1)
    if recent:
        return await track(ctx, recent[0].number, intent=intent)
    return [Reply.text(ctx.t("orders.none"), intent=intent)]


async def order_details(ctx: FlowContext, number: str | None) -> list[Reply]:
    """The order's tracking page as a link (what Details opens where a page cannot open)."""
    if ctx.customer_id is None:
        return await ctx.verify_first("details", number)
    if not number:
        return await track(ctx, None)  # which order? the picker asks
    view = await ctx.owned_order(number)
    if view is None:
        return await ask_other_customer(ctx, "details", number)
    url = page_url(ctx.config, page_token(ctx.config, view.id, ctx.clock.now()))
    return [
        Reply.text(
            ctx.t("details.link", number=view.number, url=url),
            intent="order_details",
            order_number=view.number,
        )
    ]


async def list_orders(ctx: FlowContext) -> list[Reply]:
    """The customer's recent orders, newest first."""
    if ctx.customer_id is None:
        return await ctx.verify_first("orders", None)
    orders = await orders_of_customer(ctx.session, ctx.customer_id, limit=LIST_LIMIT + 1)
    return [
        orders_reply(
            await with_parcel_statuses(ctx.session, orders[:LIST_LIMIT]),
            tz=ctx.tz,
            now=ctx.clock.now(),
            locale=ctx.locale,
            more=len(orders) > LIST_LIMIT,
        )
    ]


async def follow_order(ctx: FlowContext, number: str | None) -> list[Reply]:
    """Send me updates about this order."""
    if ctx.customer_id is None:
        return await ctx.verify_first("follow", number)
    if not number:
        active = await orders_of_customer(
            ctx.session, ctx.customer_id, limit=PICK_LIMIT, active_only=True
        )
        if len(active) != 1:
            if not active:
                return [Reply.text(ctx.t("orders.none"), intent="follow")]
            buttons = [
                Button(ctx.t("button.track", number=o.number), "follow", o.number) for o in active
            ]
            return [Reply.text(ctx.t("follow.pick"), intent="follow", buttons=buttons)]
        number = active[0].number
    view = await ctx.owned_order(number)
    if view is None:
        return await ask_other_customer(ctx, "follow", number)
    if view.is_finished:
        return [
            Reply.text(
                ctx.t("follow.finished", number=number), intent="follow", order_number=number
            )
        ]
    if not ctx.identity.pushes_enabled:
        return [
            Reply.text(
                ctx.t("follow.pushes_off", number=number),
                intent="follow",
                order_number=number,
                buttons=[Button(ctx.t("button.start_pushes"), "start_pushes")],
            )
        ]
    assert ctx.identity.id is not None
    added = await follow(ctx.session, ctx.clock, ctx.identity.id, view.id)
    key = "follow.on" if added else "follow.already"
    buttons = [Button(ctx.t("button.unfollow"), "unfollow", number)]
    return [
        Reply.text(ctx.t(key, number=number), intent="follow", order_number=number, buttons=buttons)
    ]


async def unfollow_order(ctx: FlowContext, number: str | None) -> list[Reply]:
    """No more updates about this order; without a number, no more updates at all."""
    if not number:
        return await stop_pushes(ctx)
    if ctx.customer_id is None:
        return await ctx.verify_first("unfollow", number)
    view = await ctx.owned_order(number)
    if view is None:
        return await ask_other_customer(ctx, "unfollow", number)
    assert ctx.identity.id is not None
    removed = await unfollow(ctx.session, ctx.clock, ctx.identity.id, view.id)
    key = "unfollow.off" if removed else "unfollow.not_following"
    buttons = [] if view.is_finished else [Button(ctx.t("button.follow"), "follow", number)]
    return [
        Reply.text(
            ctx.t(key, number=number), intent="unfollow", order_number=number, buttons=buttons
        )
    ]


async def stop_pushes(ctx: FlowContext) -> list[Reply]:
    """/stop: no pushes to this chat until it asks again (unsent ones are cancelled)."""
    await set_pushes(ctx.session, ctx.clock, ctx.identity, False)
    return [
        Reply.text(
            ctx.t("pushes.stopped"),
            intent="stop_pushes",
            buttons=[Button(ctx.t("button.start_pushes"), "start_pushes")],
        )
    ]


async def start_pushes(ctx: FlowContext) -> list[Reply]:
    """Pushes back on; a verified chat follows its open orders again."""
    await set_pushes(ctx.session, ctx.clock, ctx.identity, True)
    if ctx.customer_id is None:
        return [Reply.text(ctx.t("pushes.started_unverified"), intent="start_pushes")]
    assert ctx.identity.id is not None
    await follow_open_orders(ctx.session, ctx.clock, ctx.identity.id, ctx.customer_id)
    return [
        Reply.text(
            ctx.t("pushes.started"),
            intent="start_pushes",
            buttons=[Button(ctx.t("button.orders"), "orders")],
        )
    ]


def greeting(ctx: FlowContext) -> Reply:
    """Hello, by first name when we have one, and what to do next."""
    name = ctx.identity.display_name.split()[0] if ctx.identity.display_name.strip() else ""
    hello = ctx.t("greeting", name=f" {name}" if name else "", shop=ctx.config.shop_name)
    if ctx.customer_id is None:
        return Reply.text(f"{hello}\n{ctx.t('greeting.unverified')}", intent="greeting")
    return Reply.text(
        f"{hello}\n{ctx.t('greeting.verified')}",
        intent="greeting",
        buttons=[Button(ctx.t("button.orders"), "orders"), Button(ctx.t("button.help"), "help")],
    )


def help_reply(ctx: FlowContext) -> Reply:
    """What the bot can do."""
    return Reply.text(
        ctx.t("help"),
        intent="help",
        buttons=[Button(ctx.t("button.orders"), "orders"), Button(ctx.t("button.human"), "human")],
    )


def fallback(ctx: FlowContext) -> Reply:
    """Not understood: say so, and offer the way forward (never silence)."""
    return Reply.text(
        ctx.t("unknown"),
        intent="unknown",
        buttons=[Button(ctx.t("button.orders"), "orders"), Button(ctx.t("button.help"), "help")],
    )

"""`wismo link ORDER_NUMBER`: a signed, single-use deep link that verifies a Telegram chat."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer

from bot.commands.common import EXIT_SCHEMA, run, settings_or_exit

if TYPE_CHECKING:
    from bot.services import Services

EXIT_NO_ORDER = 1
T = TypeVar("T")
EXIT_DEFAULT_BOT = 2  # a setting is wrong: the link would open someone else's bot


def command(
    order_number: str = typer.Argument(..., help="The order's number, as the shopper sees it."),
    json_output: bool = typer.Option(False, "--json", help="Print {token, url, expires_at}."),
    web: bool = typer.Option(
        False,
        "--web",
        help="Print the order's tracking-page link (WISMO_PUBLIC_URL/t/<token>) instead.",
    ),
    allow_default: bool = typer.Option(
        False,
        "--allow-default",
        help="Make the link even though WISMO_TELEGRAM_BOT_USERNAME is still the default.",
    ),
) -> None:
    """Print a deep-link token for ORDER_NUMBER and its https://t.me/<bot>?start=<token> link.

    The link opens the order in the shopper's Telegram chat without asking for the e-mail.
    It is single-use and expires after WISMO_LINK_TOKEN_TTL_HOURS. Exit 1: no such order;
    2: WISMO_TELEGRAM_BOT_USERNAME is not set (the link would open another bot).

    With --web: the order's tracking page instead, for the shop's e-mails (opens any
    number of times, valid WISMO_TRACKING_LINK_TTL_DAYS; needs no bot).
    """
    settings = settings_or_exit()
    if web:
        from bot.services import build_services

        _print_page_link(build_services(settings), order_number, json_output)
        return
    default = type(settings).model_fields["telegram_bot_username"].default
    if settings.telegram_bot_username == default and not allow_default:
        typer.secho(
            f"error: WISMO_TELEGRAM_BOT_USERNAME is still the default {default!r}, so the "
            f"link would open a bot that is not yours; set it to your bot's username "
            f"(or pass --allow-default)",
            err=True,
            fg=typer.colors.RED,
        )
        raise typer.Exit(EXIT_DEFAULT_BOT)
    from bot.services import build_services
    from core.conversation import UnknownOrderError, create_link_token, link_url

    services = build_services(settings)
    try:
        token = _with_database(
            services,
            lambda session: create_link_token(
                session, services.clock, services.config, order_number
            ),
        )
    except UnknownOrderError:
        _no_such_order(order_number)
    url = link_url(services.config, token)
    if json_output:
        expires = services.clock.now() + services.config.link_token_ttl
        typer.echo(json.dumps({"token": token, "url": url, "expires_at": expires.isoformat()}))
        return
    typer.echo(f"token: {token}")
    typer.echo(f"link:  {url}")
    hours = int(services.config.link_token_ttl.total_seconds() // 3600)
    typer.echo(f"(single use, valid for {hours} hours)")


def _with_database(services: Services, work: Callable[[Any], Awaitable[T]]) -> T:
    """`work(session)` in one transaction on a ready database (exit 3: unknown schema)."""
    from bot.commands.database import prepare_database
    from core.storage import UnknownSchemaError

    async def _go() -> T:
        try:
            await prepare_database(services.database)
            async with services.database.transaction() as session:
                return await work(session)
        finally:
            await services.database.dispose()

    try:
        return run(_go())
    except UnknownSchemaError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(EXIT_SCHEMA) from None


def _no_such_order(order_number: str) -> NoReturn:
    typer.secho(f"error: no order with number {order_number.strip()!r}", err=True,
                fg=typer.colors.RED)  # fmt: skip
    raise typer.Exit(EXIT_NO_ORDER)


def _print_page_link(services: Services, order_number: str, json_output: bool) -> None:
    from core.tracking_page import page_url_for_order

    url = _with_database(
        services,
        lambda session: page_url_for_order(session, services.clock, services.config, order_number),
    )
    if url is None:
        _no_such_order(order_number)
    expires = services.clock.now() + services.config.tracking_link_ttl
    if json_output:
        typer.echo(json.dumps({"url": url, "expires_at": expires.isoformat()}))
        return
    typer.echo(f"page:  {url}")
    days = services.config.tracking_link_ttl.days
    typer.echo(f"(opens any number of times, valid for {days} days)")

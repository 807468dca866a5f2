"""`wismo link ORDER_NUMBER`: a signed, single-use deep link that verifies a Telegram chat."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer

from bot.commands.common import EXIT_SCHEMA, run, settings_or_exit

if TYPE_CHECKING:
    from bot.services import Services

EXIT_NO_ORDER = 1
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
    from bot.commands.database import prepare_database
    from bot.services import build_services
    from core.conversation import UnknownOrderError, create_link_token, link_url
    from core.storage import UnknownSchemaError

    services = build_services(settings)

    async def _go() -> str:
        try:
            await prepare_database(services.database)
            async with services.database.transaction() as session:
                return await create_link_token(
                    session, services.clock, services.config, order_number
                )
        finally:
            await services.database.dispose()

    try:
        token = run(_go())
    except UnknownOrderError:
        typer.secho(f"error: no order with number {order_number.strip()!r}", err=True,
                    fg=typer.colors.RED)  # fmt: skip
        raise typer.Exit(EXIT_NO_ORDER) from None
    except UnknownSchemaError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(EXIT_SCHEMA) from None
    url = link_url(services.config, token)
    if json_output:
        expires = services.clock.now() + services.config.link_token_ttl
        typer.echo(json.dumps({"token": token, "url": url, "expires_at": expires.isoformat()}))
        return
    typer.echo(f"token: {token}")
    typer.echo(f"link:  {url}")
    hours = int(services.config.link_token_ttl.total_seconds() // 3600)
    typer.echo(f"(single use, valid for {hours} hours)")


def _print_page_link(services: Services, order_number: str, json_output: bool) -> None:
    from bot.commands.database import prepare_database
    from core.storage import UnknownSchemaError
    from core.tracking_page import page_url_for_order

    async def _go() -> str | None:
        try:
            await prepare_database(services.database)
            async with services.database.session() as session:
                return await page_url_for_order(
                    session, services.clock, services.config, order_number
                )
        finally:
            await services.database.dispose()

    try:
        url = run(_go())
    except UnknownSchemaError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(EXIT_SCHEMA) from None
    if url is None:
        typer.secho(f"error: no order with number {order_number.strip()!r}", err=True,
                    fg=typer.colors.RED)  # fmt: skip
        raise typer.Exit(EXIT_NO_ORDER)
    expires = services.clock.now() + services.config.tracking_link_ttl
    if json_output:
        typer.echo(json.dumps({"url": url, "expires_at": expires.isoformat()}))
        return
    typer.echo(f"page:  {url}")
    days = services.config.tracking_link_ttl.days
    typer.echo(f"(opens any number of times, valid for {days} days)")

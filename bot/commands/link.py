"""`wismo link ORDER_NUMBER`: a signed, single-use deep link that verifies a Telegram chat."""

from __future__ import annotations

import json

import typer

from bot.commands.common import EXIT_SCHEMA, run, settings_or_exit

EXIT_NO_ORDER = 1
EXIT_DEFAULT_BOT = 2  # a setting is wrong: the link would open someone else's bot


def command(
    order_number: str = typer.Argument(..., help="The order's number, as the shopper sees it."),
    json_output: bool = typer.Option(False, "--json", help="Print {token, url, expires_at}."),
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
    """
    settings = settings_or_exit()
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
    from core.conversation.identity import UnknownOrderError, create_link_token, link_url
    from core.storage.schema import UnknownSchemaError

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

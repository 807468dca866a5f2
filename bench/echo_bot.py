"""The baseline: a default python-telegram-bot echo bot in webhook mode, as its own process.

    python -m bench.echo_bot --port 8443 --api-url http://127.0.0.1:N/bot --token T --secret S

PTB's own `Application.run_webhook` (tornado) with PTB's defaults — one update at a
time, no rate limiter — answering every text message with the same text, as in PTB's
echobot example. It registers its webhook with the stand-in Bot API like any bot would.
`--uvloop` runs it on uvloop, the event loop `wismo run` uses, for a like-for-like figure.
"""

from __future__ import annotations

import argparse

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(update.effective_message.text or "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--uvloop", action="store_true", help="on uvloop instead of asyncio's")
    args = parser.parse_args()
    if args.uvloop:
        import asyncio

        import uvloop

        # run_webhook takes the loop from the policy's get_event_loop()
        asyncio.set_event_loop(uvloop.new_event_loop())
    application = ApplicationBuilder().token(args.token).base_url(args.api_url).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_webhook(
        listen="127.0.0.1",
        port=args.port,
        url_path="telegram/webhook",
        secret_token=args.secret,
        webhook_url=f"http://127.0.0.1:{args.port}/telegram/webhook",
    )


if __name__ == "__main__":
    main()

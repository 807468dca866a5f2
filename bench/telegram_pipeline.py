"""Shopper messages per second through the real Telegram stack, against a bare echo bot.

    python -m bench.telegram_pipeline            # 5,000 messages
    python -m bench.telegram_pipeline --quick    # 500 messages
    python -m bench.telegram_pipeline --postgres postgresql+asyncpg://postgres@127.0.0.1/postgres

Both bots run python-telegram-bot against the same stand-in Bot API server
(tests/integration/telegram/botapi.py, aiohttp on 127.0.0.1) in the same run: updates are
queued on the server, the bot long-polls them with getUpdates, handles them and answers
with sendMessage over HTTP. wismo answers each message the way it answers a shopper —
conversation (duplicate check of the update_id, identity, order look-up, timeline,
ConversationState, InboundLog on SQLite, one transaction), HTML rendering, signed
keyboard; the echo bot replies with the
text it got, with PTB's defaults (one update at a time). wismo's outgoing
pacing is raised out of the way: the stand-in server is not Telegram, and at 30/s the
benchmark would measure the pacer, not the pipeline.

It also times the core alone, one message at a time (the conversation with its
duplicate check): the work wismo adds to what the echo bot does.

Prints progress on stderr and the result (bench/report.py format) as the last stdout line.
Target: wismo >= 0.7 x the echo bot's messages per second.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from adapters.telegram import TelegramChannel, TelegramConfig
from bench.report import emit, figure
from bot.memory import settle_memory
from core.conversation.service import Conversation
from core.replies.reply import Inbound
from core.runtime.clock import SystemClock
from core.runtime.config import CoreConfig
from core.sample import demo_shop as sample
from core.storage import schema
from core.storage.db import Database
from core.storage.models import ChannelIdentity, Order
from tests.integration.telegram.botapi import BOT_USERNAME, BotApiServer

TARGET_RATIO = 0.7
CONCURRENCY = TelegramConfig.concurrent_updates  # wismo's updates in flight at once
ROUNDS = 5  # echo and wismo take turns, so a load change on the machine hits both
SECRET = "bench-secret"
ORDERS = 2_000


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


async def build_shop(url: str, chats: int) -> list[tuple[int, str]]:
    """Sample orders, one verified Telegram chat per customer; (chat id, order number) pairs."""
    database = Database(url)
    await schema.upgrade(database.engine)
    now = datetime.now(UTC)
    async with database.engine.begin() as connection:
        await sample.seed(connection, now=now, count=ORDERS, bulk=True, keep_summaries=False)
        orders = Order.__table__  # type: ignore[attr-defined]
        rows = (
            await connection.execute(
                select(orders.c.customer_id, func.min(orders.c.number))
                .group_by(orders.c.customer_id)
                .order_by(orders.c.customer_id)
                .limit(chats)
            )
        ).all()
        await connection.execute(
            insert(ChannelIdentity.__table__),  # type: ignore[attr-defined]
            [
                {
                    "channel": "telegram",
                    "external_id": str(1_000_000 + customer),
                    "customer_id": customer,
                    "display_name": "Shopper",
                    "locale": "en",
                    "verified_at": now,
                    "pushes_enabled": True,
                    "created_at": now,
                    "last_seen_at": now,
                }
                for customer, _ in rows
            ],
        )
    await database.dispose()
    return [(1_000_000 + customer, str(number)) for customer, number in rows]


@asynccontextmanager
async def throwaway_database(postgres: str | None) -> AsyncIterator[str]:
    """A temporary SQLite file, or a new PostgreSQL database on the `postgres` server."""
    if postgres is None:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        return
    import asyncpg  # type: ignore[import-untyped]

    admin_dsn = postgres.replace("postgresql+asyncpg://", "postgresql://")
    name = f"wismo_bench_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(admin_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    try:
        yield postgres.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin = await asyncpg.connect(admin_dsn)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def measure_core(url: str, messages: list[tuple[int, str]]) -> float:
    """Seconds per message for the core alone: the conversation, duplicate check included."""
    database = Database(url)
    conversation = Conversation(database, SystemClock(), CoreConfig(secret_key=SECRET))
    conversation.languages.warm()  # as `wismo run` does at start, untimed
    started = time.perf_counter()
    for index, (chat, text) in enumerate(messages):
        inbound = Inbound("telegram", str(chat), text=text, delivery_key=f"core-{index}")
        if not await conversation.handle(inbound):
            raise SystemExit(f"no answer to {text!r}")
    handle = (time.perf_counter() - started) / len(messages)
    await database.dispose()
    return handle


def questions(pairs: list[tuple[int, str]], count: int, seed: int) -> list[tuple[int, str]]:
    """`count` shopper messages spread over the chats, in a shuffled but fixed order."""
    rng = random.Random(seed)
    wording = ["where is my order {n}?", "track {n}", "status of order {n}", "hi", "my orders"]
    messages = []
    for index in range(count):
        chat, number = pairs[index % len(pairs)]
        messages.append((chat, rng.choice(wording).format(n=number)))
    rng.shuffle(messages)
    return messages


async def run_through(
    server: BotApiServer,
    application: Application[Any, Any, Any, Any, Any, Any],
    start: Callable[[], Awaitable[None]],
    stop: Callable[[], Awaitable[None]],
    messages: list[tuple[int, str]],
) -> float:
    """Queue every message, start the bot, wait until all are handled; seconds taken."""
    handled = 0
    all_done = asyncio.Event()

    async def count(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        nonlocal handled
        handled += 1
        if handled == len(messages):
            all_done.set()

    application.add_handler(TypeHandler(Update, count), group=99)
    for chat, text in messages:
        server.push_update(server.message_update(chat, text))
    sent_before = len(server.messages)
    await start()
    started = time.perf_counter()
    await asyncio.wait_for(all_done.wait(), timeout=600)
    elapsed = time.perf_counter() - started
    await stop()
    answers = server.messages[sent_before:]
    if len({m.chat_id for m in answers}) < len({chat for chat, _ in messages}):
        raise SystemExit("some chats got no answer")
    failures = [m for m in answers if "something went wrong" in m.text]
    if failures:
        raise SystemExit(f"{len(failures)} messages failed; see the log above")
    return elapsed


async def measure_wismo(
    server: BotApiServer, url: str, messages: list[tuple[int, str]], concurrency: int
) -> float:
    database = Database(url)
    clock = SystemClock()
    config = TelegramConfig(
        token=server.token,
        secret_key=SECRET,
        api_url=server.api_url,
        rate_global=1_000_000,
        rate_per_chat=1_000_000,
        bot_username=BOT_USERNAME,
        poll_timeout=1,
        concurrent_updates=concurrency,
    )
    conversation = Conversation(database, clock, CoreConfig(secret_key=SECRET))
    conversation.languages.warm()  # as `wismo run` does at start, untimed
    channel = TelegramChannel(config, conversation, database, clock)
    try:
        return await run_through(server, channel.application, channel.start, channel.stop, messages)
    finally:
        await database.dispose()


async def measure_echo(server: BotApiServer, messages: list[tuple[int, str]]) -> float:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(update.effective_message.text or "")

    # A bare bot with PTB's defaults: one update at a time, which on this stand-in is also
    # faster than 64 at once (measured), so the comparison does not flatter wismo.
    application = ApplicationBuilder().token(server.token).base_url(server.api_url).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))

    async def start() -> None:
        await application.initialize()
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(timeout=1, poll_interval=0.0)

    async def stop() -> None:
        assert application.updater is not None
        await application.updater.stop()
        await application.stop()
        await application.shutdown()

    return await run_through(server, application, start, stop, messages)


async def main(count: int, seed: int, concurrency: int, rounds: int, postgres: str | None) -> None:
    async with throwaway_database(postgres) as url:
        chats = max(1, min(count // 5, 1_000))
        log(f"building a shop of {ORDERS:,} orders and {chats:,} verified chats")
        pairs = await build_shop(url, chats)
        messages = questions(pairs, count, seed)
        batches = [messages[i::rounds] for i in range(rounds)]
        server = await BotApiServer(token="4242:BENCH").start()
        settle_memory()  # as `wismo run` does once started (both bots share the process)
        echo_seconds = wismo_seconds = 0.0
        try:
            for index, batch in enumerate(batches, 1):
                echo_seconds += await measure_echo(server, batch)
                wismo_seconds += await measure_wismo(server, url, batch, concurrency)
                log(
                    f"round {index}/{rounds}: echo {len(batch) * index / echo_seconds:,.0f}/s, "
                    f"wismo {len(batch) * index / wismo_seconds:,.0f}/s so far"
                )
            log("the core alone, one message at a time")
            handle = await measure_core(url, messages[: min(count, 500)])
        finally:
            await server.stop()
    echo_rate = count / echo_seconds
    wismo_rate = count / wismo_seconds
    emit(
        "telegram_pipeline",
        [
            figure("wismo Telegram messages/s", wismo_rate, "msg/s", better="higher"),
            figure("echo bot messages/s", echo_rate, "msg/s", better="higher"),
            figure(
                "wismo / echo",
                wismo_rate / echo_rate,
                "ratio",
                target=TARGET_RATIO,
                better="higher",
            ),
            figure("echo bot per message", 1000 / echo_rate, "ms"),
            figure("core conversation per message, duplicate check included", handle * 1000, "ms"),
        ],
        messages=count,
        chats=len({chat for chat, _ in messages}),
        wismo_concurrent_updates=concurrency,
        echo_concurrent_updates=1,
        rounds=rounds,
        database="postgresql" if postgres else "sqlite",
    )


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=5_000, help="shopper messages")
    parser.add_argument("--quick", action="store_true", help="500 messages, for a smoke run")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--concurrency", type=int, default=CONCURRENCY, help="updates wismo handles at once"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=ROUNDS,
        help="turns the two bots take (spreads machine-load changes over both)",
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="run on a throwaway database on this PostgreSQL server "
        "(e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/postgres) instead of SQLite",
    )
    args = parser.parse_args()
    count = 500 if args.quick else args.messages
    rounds = max(1, min(args.rounds, count))
    asyncio.run(main(count, args.seed, args.concurrency, rounds, args.postgres))


if __name__ == "__main__":
    cli()

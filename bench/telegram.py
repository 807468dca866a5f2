"""Shopper questions through `wismo run` in Telegram webhook mode, against a PTB echo bot.

    python -m bench telegram              # SQLite, PostgreSQL x1, PostgreSQL x3 replicas
    python -m bench telegram --quick      # a short run of each
    python -m bench telegram --only sqlite,pg1

Four kinds of process, as in a deployment: the stand-in Bot API (bench/botapi.py), the
default python-telegram-bot echo bot in webhook mode (bench/echo_bot.py), one or three
`wismo run` (webhook mode, a shop of 100,000 orders with 500 verified chats spread over
the whole table), and this process, which plays Telegram: it POSTs each update to the
webhook with the secret header and waits for the answer to arrive at the stand-in.

Load is bounded: `--concurrency` chats have a question in flight at once; a chat asks its
next question only after its answer came, then waits its turn behind the other chats.
Every chat's questions differ from each other (a mix of tracking questions in many
wordings, order lists, greetings, help and thanks) and no question is asked twice.
Answers/s is answered questions ÷ wall-clock time. The echo bot and wismo take turns
(`--rounds`), so a change in the machine's load hits both; the ratio is per round.
With several replicas, updates go to them in turn, as a load balancer would.
`wismo run` runs on uvloop (as every wismo command does where uvloop builds); the echo bot
on PTB's default asyncio loop, or on uvloop too with `--echo-uvloop`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import random
import statistics
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import func, insert, select

from bench import processes
from bench.processes import free_port, log
from bench.report import emit, figure
from core.insights import rollups
from core.runtime.clock import SystemClock
from core.sample import demo_shop as sample
from core.storage import refresh_planner_statistics, schema
from core.storage.db import Database
from core.storage.models import ChannelIdentity, Order

TARGET_RATIO = {"sqlite": 0.8, "postgresql": 0.7}
TARGET_ACK_P99_MS = 20.0
CHAT_BASE = 5_000_000_000  # Telegram chat ids of the verified shoppers: base + customer id

TRACKING = [
    "where is my order {n}?", "Where's order #{n}", "track {n}", "status of order {n}",
    "when will {n} arrive?", "any news on my parcel {n}", "has {n} shipped yet?",
    "hi, is order {n} on its way?", "tracking for {n}", "order {n} status", "{n}",
    "where is {n}", "is {n} delivered yet", "eta for order {n}", "what's happening with {n}",
]  # fmt: skip
OTHER = {
    "list": ["my orders", "show me all my orders", "list my orders", "what did I order",
             "my recent orders", "order history"],
    "greeting": ["hi", "hello", "hey there", "good morning", "hiya", "hello!"],
    "help": ["help", "what can you do?", "menu", "options"],
    "thanks": ["thanks", "thank you!", "cheers", "thx", "ty", "great, thanks"],
}  # fmt: skip
SUFFIXES = ["", " please", "?", " thanks", " pls", "!!", " :)", " asap"]
MIX = [("track", 70), ("list", 10), ("greeting", 8), ("help", 5), ("thanks", 7)]


@dataclass
class Chat:
    chat_id: int
    numbers: list[str]
    questions: deque[str] = field(default_factory=deque)


def questions_for(chat: Chat, count: int, rng: random.Random, used: set[str]) -> list[str]:
    """`count` texts this chat has not asked before (`used` holds what it has asked)."""
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    texts = []
    while len(texts) < count:
        for _attempt in range(100):
            kind = rng.choices(kinds, weights)[0]
            if kind == "track":
                base = rng.choice(TRACKING).format(n=rng.choice(chat.numbers))
            else:
                base = rng.choice(OTHER[kind])
            text = base + rng.choice(SUFFIXES)
            if text not in used:
                break
        else:
            text = f"where is my order {rng.choice(chat.numbers)}? (asking again, {len(used)})"
        used.add(text)
        texts.append(text)
    return texts


async def build_shop(url: str, orders: int, chats: int) -> list[Chat]:
    """A shop of `orders` sample orders; `chats` verified Telegram chats spread over it."""
    database = Database(url)
    await schema.upgrade(database.engine)
    now = datetime.now(UTC)
    table = Order.__table__  # type: ignore[attr-defined]
    async with database.engine.begin() as connection:
        await sample.seed(connection, now=now, count=orders, bulk=True, keep_summaries=False)
        customers = [
            row[0]
            for row in await connection.execute(
                select(table.c.customer_id).distinct().order_by(table.c.customer_id)
            )
        ]
        step = max(1, len(customers) // chats)
        chosen = customers[::step][:chats]  # first to last customer, evenly
        numbers: dict[int, list[str]] = {c: [] for c in chosen}
        for customer, number in await connection.execute(
            select(table.c.customer_id, table.c.number).where(table.c.customer_id.in_(chosen))
        ):
            numbers[customer].append(str(number))
        await connection.execute(
            insert(ChannelIdentity.__table__),  # type: ignore[attr-defined]
            [
                {
                    "channel": "telegram",
                    "external_id": str(CHAT_BASE + customer),
                    "customer_id": customer,
                    "display_name": "Shopper",
                    "locale": "en",
                    "verified_at": now,
                    "pushes_enabled": True,
                    "created_at": now,
                    "last_seen_at": now,
                }
                for customer in chosen
            ],
        )
        max_id = await connection.scalar(select(func.max(table.c.id)))
    await refresh_planner_statistics(database.engine)  # as `wismo seed` and `wismo import` do
    # A shop in service has its insights rollups; left unbuilt, `wismo run` would build
    # them a minute into the measurement.
    await rollups.refresh(database, SystemClock(), holder="bench")
    await database.dispose()
    log(f"shop: {orders:,} orders (max id {max_id:,}), {len(chosen)} verified chats")
    return [Chat(CHAT_BASE + c, numbers[c]) for c in chosen]


@dataclass
class RoundResult:
    answers_per_s: float
    ack_ms: list[float]
    answer_ms: list[float]
    unanswered: int


class Telegram:
    """Plays Telegram: POSTs updates to the webhooks, learns of answers from the stand-in."""

    def __init__(self, api_port: int) -> None:
        self.api_port = api_port
        self.update_ids = itertools.count(1)
        self.message_ids = itertools.count(1)
        self.sent_seen = 0
        self.waiting: dict[int, tuple[float, asyncio.Future[float]]] = {}
        self.extra_answers = 0

    def update(self, chat_id: int, text: str) -> dict[str, Any]:
        user = {"id": chat_id, "is_bot": False, "first_name": "Ada", "language_code": "en"}
        return {
            "update_id": next(self.update_ids),
            "message": {
                "message_id": next(self.message_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": "Ada"},
                "from": user,
                "text": text,
            },
        }

    async def watch(self, session: aiohttp.ClientSession) -> None:
        """Resolve each waiting chat's future with the stand-in's receipt of its answer."""
        url = f"http://127.0.0.1:{self.api_port}/bench/sent"
        while True:
            async with session.get(url, params={"after": self.sent_seen}) as response:
                sent = await response.json()
            self.sent_seen += len(sent)
            for chat_id, at in sent:
                waiting = self.waiting.get(chat_id)
                if waiting is None or waiting[1].done() or at < waiting[0]:
                    self.extra_answers += 1
                    continue
                waiting[1].set_result(at)

    async def round(
        self,
        session: aiohttp.ClientSession,
        webhooks: list[str],
        chats: list[Chat],
        concurrency: int,
    ) -> RoundResult:
        """Every chat asks its questions for this round; answers/s over the wall clock."""
        idle = deque(c for c in chats if c.questions)
        targets = itertools.cycle(webhooks)
        headers = {"X-Telegram-Bot-Api-Secret-Token": processes.WEBHOOK_SECRET}
        ack_ms: list[float] = []
        answer_ms: list[float] = []
        unanswered = 0
        loop = asyncio.get_running_loop()

        async def ask() -> None:
            nonlocal unanswered
            while idle:
                chat = idle.popleft()
                body = self.update(chat.chat_id, chat.questions.popleft())
                answer: asyncio.Future[float] = loop.create_future()
                posted = time.monotonic()
                self.waiting[chat.chat_id] = (posted, answer)
                async with session.post(next(targets), json=body, headers=headers) as response:
                    await response.read()
                    if response.status != 200:
                        raise SystemExit(f"webhook answered {response.status}")
                ack_ms.append((time.monotonic() - posted) * 1000)
                try:
                    at = await asyncio.wait_for(answer, 30)
                    answer_ms.append((at - posted) * 1000)
                except TimeoutError:
                    unanswered += 1
                del self.waiting[chat.chat_id]
                if chat.questions:
                    idle.append(chat)

        started = time.monotonic()
        await asyncio.gather(*(ask() for _ in range(concurrency)))
        wall = time.monotonic() - started
        return RoundResult(len(answer_ms) / wall, ack_ms, answer_ms, unanswered)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")


async def run_setup(
    name: str, url: str, replicas: int, args: argparse.Namespace
) -> list[dict[str, Any]]:
    """One database and replica count: echo and wismo take turns for `args.rounds` rounds."""
    kind = "sqlite" if url.startswith("sqlite") else "postgresql"
    chats = await build_shop(url, args.orders, args.chats)
    rng = random.Random(args.seed)
    used: dict[int, set[str]] = {c.chat_id: set() for c in chats}
    per_chat = max(1, args.questions // len(chats))
    stack = contextlib.ExitStack()
    botapi, api_port = processes.start_botapi()
    stack.push(lambda *exc: botapi.__exit__(*exc))
    with stack:
        echo_port = free_port()
        echo = stack.enter_context(
            processes.start_echo(echo_port, api_port, uvloop=args.echo_uvloop)
        )
        echo_hook = f"http://127.0.0.1:{echo_port}/telegram/webhook"
        hooks = []
        for _ in range(replicas):
            port = free_port()
            env = processes.wismo_env(url, port, api_port)
            process = stack.enter_context(processes.start_wismo(env))
            hook = f"http://127.0.0.1:{port}/telegram/webhook"
            await processes.wait_http(hook, process, {400})
            hooks.append(hook)
            if args.profile:
                out = Path(args.profile) / f"{name.replace(' ', '-')}-{process.pid}.txt"
                stack.enter_context(processes.profiled(process.pid, out))
        # An update with nothing in it: PTB acknowledges it and no handler answers.
        await processes.wait_http(echo_hook, echo, {200}, b'{"update_id": 0}')
        telegram = Telegram(api_port)
        rows: list[dict[str, Any]] = []
        connector = aiohttp.TCPConnector(limit=args.concurrency * 2 + 4)
        async with aiohttp.ClientSession(connector=connector) as session:
            watcher = asyncio.create_task(telegram.watch(session))
            try:
                for index in range(1, args.rounds + 1):
                    for chat in chats:
                        chat.questions = deque(
                            questions_for(chat, per_chat, rng, used[chat.chat_id])
                        )
                    saved = {c.chat_id: deque(c.questions) for c in chats}
                    echo_result = await telegram.round(
                        session, [echo_hook], chats, args.concurrency
                    )
                    for chat in chats:  # the same new questions, now to wismo
                        chat.questions = saved[chat.chat_id]
                    wismo_result = await telegram.round(session, hooks, chats, args.concurrency)
                    ratio = wismo_result.answers_per_s / echo_result.answers_per_s
                    log(
                        f"{name} round {index}: wismo {wismo_result.answers_per_s:.0f}/s, "
                        f"echo {echo_result.answers_per_s:.0f}/s, ratio {ratio:.2f}; "
                        f"wismo POST→200 p50 {pct(wismo_result.ack_ms, 0.5):.1f} "
                        f"p99 {pct(wismo_result.ack_ms, 0.99):.1f} ms, "
                        f"POST→sendMessage p50 {pct(wismo_result.answer_ms, 0.5):.1f} "
                        f"p99 {pct(wismo_result.answer_ms, 0.99):.1f} ms; "
                        f"unanswered {wismo_result.unanswered}"
                    )
                    rows.append({"echo": echo_result, "wismo": wismo_result, "ratio": ratio})
            finally:
                watcher.cancel()
    return summarise(name, kind, rows, telegram.extra_answers)


def summarise(name: str, kind: str, rows: list[dict[str, Any]], extra: int) -> list[dict[str, Any]]:
    """Figures for one setup: medians over the rounds, with min/median/max in the name."""

    def spread(values: list[float], digits: str = ".2f") -> str:
        return "/".join(
            format(v, digits) for v in (min(values), statistics.median(values), max(values))
        )

    ratios = [r["ratio"] for r in rows]
    wismo_rates = [r["wismo"].answers_per_s for r in rows]
    echo_rates = [r["echo"].answers_per_s for r in rows]
    figures = [
        figure(f"{name}: wismo / echo answers/s (min/med/max {spread(ratios)})",
               statistics.median(ratios), "ratio", target=TARGET_RATIO[kind], better="higher"),
        figure(f"{name}: wismo answers/s (min/med/max {spread(wismo_rates, '.0f')})",
               statistics.median(wismo_rates), "1/s", better="higher"),
        figure(f"{name}: echo answers/s (min/med/max {spread(echo_rates, '.0f')})",
               statistics.median(echo_rates), "1/s", better="higher"),
    ]  # fmt: skip
    for who in ("wismo", "echo"):
        acks = [pct(r[who].ack_ms, 0.99) for r in rows]
        answers50 = [pct(r[who].answer_ms, 0.5) for r in rows]
        answers99 = [pct(r[who].answer_ms, 0.99) for r in rows]
        acks50 = [pct(r[who].ack_ms, 0.5) for r in rows]
        target = TARGET_ACK_P99_MS if who == "wismo" else None
        figures += [
            figure(f"{name}: {who} POST→200 p50 (min/med/max {spread(acks50, '.1f')})",
                   statistics.median(acks50), "ms"),
            figure(f"{name}: {who} POST→200 p99 (min/med/max {spread(acks, '.1f')})",
                   statistics.median(acks), "ms", target=target),
            figure(f"{name}: {who} POST→sendMessage p50 (min/med/max {spread(answers50, '.1f')})",
                   statistics.median(answers50), "ms"),
            figure(f"{name}: {who} POST→sendMessage p99 (min/med/max {spread(answers99, '.1f')})",
                   statistics.median(answers99), "ms"),
        ]  # fmt: skip
    unanswered = sum(r["wismo"].unanswered + r["echo"].unanswered for r in rows)
    figures.append(figure(f"{name}: questions unanswered within 30 s", unanswered, "", target=0))
    figures.append(figure(f"{name}: answers beyond the first per question", extra, ""))
    return figures


async def main(args: argparse.Namespace) -> None:
    figures: list[dict[str, Any]] = []
    setups = [s.strip() for s in args.only.split(",") if s.strip()]
    for setup in setups:
        log(f"▶ {setup}")
        if setup == "sqlite":
            with tempfile.TemporaryDirectory(prefix="wismo-bench-tg-") as tmp:
                url = f"sqlite+aiosqlite:///{Path(tmp) / 'wismo.db'}"
                figures += await run_setup("SQLite", url, 1, args)
        elif setup in ("pg1", "pg3"):
            replicas = int(setup[2:])
            async with processes.throwaway_postgres(args.postgres) as url:
                label = f"PostgreSQL x{replicas}"
                figures += await run_setup(label, url, replicas, args)
        else:
            raise SystemExit(f"unknown setup {setup!r}: sqlite, pg1 or pg3")
    emit(
        "telegram",
        figures,
        orders=args.orders,
        chats=args.chats,
        questions_per_round=args.questions,
        rounds=args.rounds,
        concurrency=args.concurrency,
        setups=setups,
        echo_loop="uvloop" if args.echo_uvloop else "asyncio (PTB's default)",
    )


def cli() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench telegram", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--quick", action="store_true", help="a short run: 10,000 orders, 1,000 questions"
    )
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--chats", type=int, default=500)
    parser.add_argument("--questions", type=int, default=3_000, help="questions per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--concurrency", type=int, default=32, help="chats with a question in flight"
    )
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--only", default="sqlite,pg1,pg3", help="setups: sqlite, pg1, pg3")
    parser.add_argument(
        "--echo-uvloop",
        action="store_true",
        help="run the echo bot on uvloop too (wismo run always is), not PTB's default loop",
    )
    parser.add_argument("--profile", metavar="DIR", help="py-spy each wismo run into DIR (raw)")
    parser.add_argument("--postgres", default=processes.POSTGRES, help="PostgreSQL server URL")
    args = parser.parse_args()
    if args.quick:
        args.orders, args.questions = min(args.orders, 10_000), min(args.questions, 1_000)
    asyncio.run(main(args))


if __name__ == "__main__":
    cli()

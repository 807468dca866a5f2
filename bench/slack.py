"""Staff look-ups by slash command through `wismo run` (Slack HTTP mode), against bare bolt.

    python -m bench slack            # 100,000 orders, 3 rounds of 1,500 look-ups
    python -m bench slack --quick    # 10,000 orders, 300 look-ups a round

Three kinds of process: the stand-in Slack Web API (bench/slack_api.py), `wismo run` with
Slack in HTTP mode on SQLite, a bare slack-bolt app (bench/bolt_app.py) that answers the
same command with an ephemeral echo, and this process, which plays Slack: it POSTs
`/wismo order <number>` signed as Slack signs it and waits for the answer
(chat.postEphemeral) to reach the stand-in. `--concurrency` agents each have one command
in flight; every look-up is another order (none is asked twice). Answers/s is answers ÷
wall-clock time; the bare app and wismo take turns, and the ratio is per round.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp

from bench import processes
from bench.processes import SLACK_SIGNING_SECRET, SLACK_TOKEN, free_port, log
from bench.report import emit, figure
from bench.telegram import build_shop, pct


def signed(body: bytes) -> dict[str, str]:
    stamp = str(int(time.time()))
    base = b"v0:" + stamp.encode() + b":" + body
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": "v0="
        + hmac.new(SLACK_SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest(),
    }


class Slack:
    """Plays Slack: signed commands in, ephemeral answers seen at the stand-in."""

    def __init__(self, api_port: int) -> None:
        self.api_port = api_port
        self.seen = 0
        self.waiting: dict[str, tuple[float, asyncio.Future[float]]] = {}
        self.triggers = 0

    async def watch(self, session: aiohttp.ClientSession) -> None:
        url = f"http://127.0.0.1:{self.api_port}/bench/sent"
        while True:
            async with session.get(url, params={"after": self.seen}) as response:
                sent = await response.json()
            self.seen += len(sent)
            for user, at in sent:
                waiting = self.waiting.get(user)
                if waiting is not None and not waiting[1].done() and at >= waiting[0]:
                    waiting[1].set_result(at)

    async def round(
        self, session: aiohttp.ClientSession, url: str, numbers: list[str], agents: int
    ) -> dict[str, Any]:
        queue = list(numbers)
        acks: list[float] = []
        answers: list[float] = []
        loop = asyncio.get_running_loop()

        async def agent(index: int) -> None:
            user = f"U0BENCH{index}"
            while queue:
                number = queue.pop()
                self.triggers += 1
                form = {
                    "token": "legacy", "team_id": "T0SHOP", "channel_id": "C0WORK",
                    "user_id": user, "user_name": user.lower(), "command": "/wismo",
                    "text": f"order {number}", "trigger_id": f"1337.{self.triggers}.trigger",
                    "response_url": f"http://127.0.0.1:{self.api_port}/response/r{self.triggers}",
                }  # fmt: skip
                body = urlencode(form).encode()
                answer: asyncio.Future[float] = loop.create_future()
                posted = time.monotonic()
                self.waiting[user] = (posted, answer)
                async with session.post(url, data=body, headers=signed(body)) as response:
                    await response.read()
                    if response.status != 200:
                        raise SystemExit(f"{url} answered {response.status}")
                acks.append((time.monotonic() - posted) * 1000)
                try:
                    answers.append((await asyncio.wait_for(answer, 30) - posted) * 1000)
                except TimeoutError:
                    pass
                del self.waiting[user]

        started = time.monotonic()
        await asyncio.gather(*(agent(i) for i in range(agents)))
        wall = time.monotonic() - started
        return {"rate": len(answers) / wall, "acks": acks, "answers": answers,
                "unanswered": len(numbers) - len(answers)}  # fmt: skip


async def main(args: argparse.Namespace) -> None:
    agents = [f"U0BENCH{i}" for i in range(args.concurrency)]
    with tempfile.TemporaryDirectory(prefix="wismo-bench-slack-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'wismo.db'}"
        await build_shop(url, args.orders, 1)
        from core.sample.demo_shop import FIRST_ORDER_NUMBER

        numbers = [str(FIRST_ORDER_NUMBER + i) for i in range(args.orders)]
        random.Random(args.seed).shuffle(numbers)  # each look-up another order
        api, api_port = processes.start_botapi("bench.slack_api")
        try:
            wismo_port, bolt_port = free_port(), free_port()
            env = processes.wismo_env(url, wismo_port, api_port)
            for name in list(env):
                if name.startswith("WISMO_TELEGRAM_"):
                    del env[name]
            env.update(
                {
                    "WISMO_SLACK_BOT_TOKEN": SLACK_TOKEN,
                    "WISMO_SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
                    "WISMO_SLACK_API_URL": f"http://127.0.0.1:{api_port}/api/",
                    "WISMO_SLACK_STAFF_USERS": ",".join(agents),
                }
            )
            bolt_cmd = ["-m", "bench.bolt_app", "--port", str(bolt_port),
                        "--api-url", f"http://127.0.0.1:{api_port}/api/"]  # fmt: skip
            with (
                processes.start_wismo(env) as wismo,
                processes.running([processes.sys.executable, *bolt_cmd]) as bolt,
            ):
                wismo_url = f"http://127.0.0.1:{wismo_port}/slack/events"
                bolt_url = f"http://127.0.0.1:{bolt_port}/slack/events"
                # An unsigned POST is refused (401) once each app listens.
                await processes.wait_http(wismo_url, wismo, {401})
                await processes.wait_http(bolt_url, bolt, {401})
                slack = Slack(api_port)
                rows = []
                per_round = args.lookups
                async with aiohttp.ClientSession() as session:
                    watcher = asyncio.create_task(slack.watch(session))
                    try:
                        for index in range(args.rounds):
                            batch = numbers[index * per_round : (index + 1) * per_round]
                            bare = await slack.round(session, bolt_url, batch, args.concurrency)
                            ours = await slack.round(session, wismo_url, batch, args.concurrency)
                            ratio = ours["rate"] / bare["rate"]
                            log(
                                f"round {index + 1}: wismo {ours['rate']:.0f}/s, bare bolt "
                                f"{bare['rate']:.0f}/s, ratio {ratio:.2f}; wismo ack p99 "
                                f"{pct(ours['acks'], 0.99):.1f} ms, answer p50 "
                                f"{pct(ours['answers'], 0.5):.1f} p99 "
                                f"{pct(ours['answers'], 0.99):.1f} ms"
                            )
                            rows.append({"wismo": ours, "bolt": bare, "ratio": ratio})
                    finally:
                        watcher.cancel()
        finally:
            api.__exit__(None, None, None)

    def spread(values: list[float], digits: str = ".2f") -> str:
        return "/".join(
            format(v, digits) for v in (min(values), statistics.median(values), max(values))
        )

    ratios = [r["ratio"] for r in rows]
    figures = [figure(f"wismo / bare bolt look-ups/s (min/med/max {spread(ratios)})",
                      statistics.median(ratios), "ratio", better="higher")]  # fmt: skip
    for who in ("wismo", "bolt"):
        rates = [r[who]["rate"] for r in rows]
        figures.append(figure(f"{who} look-ups/s (min/med/max {spread(rates, '.0f')})",
                              statistics.median(rates), "1/s", better="higher"))  # fmt: skip
        for label, key, q in (("POST→200 p99", "acks", 0.99), ("POST→answer p50", "answers", 0.5),
                              ("POST→answer p99", "answers", 0.99)):  # fmt: skip
            values = [pct(r[who][key], q) for r in rows]
            figures.append(figure(f"{who} {label} (min/med/max {spread(values, '.1f')})",
                                  statistics.median(values), "ms",
                                  target=3000.0 if key == "acks" else None))  # fmt: skip
    unanswered = sum(r[w]["unanswered"] for r in rows for w in ("wismo", "bolt"))
    figures.append(figure("look-ups unanswered within 30 s", unanswered, "", target=0))
    emit("slack", figures, orders=args.orders, lookups_per_round=args.lookups,
         rounds=args.rounds, agents=args.concurrency, database="sqlite")  # fmt: skip


def cli() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench slack", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="10,000 orders, 300 look-ups a round")
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=1_500, help="look-ups per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--concurrency", type=int, default=16, help="agents with a command in flight"
    )
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    if args.quick:
        args.orders, args.lookups = min(args.orders, 10_000), min(args.lookups, 300)
    asyncio.run(main(args))


if __name__ == "__main__":
    cli()

"""Starting the processes the end-to-end benchmarks measure: wismo run, stand-in, echo bot.

Each runs as its own process, as in a deployment; the benchmark process only sends load.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp

from bench.ingest import free_port, wismo

TOKEN = "4242:BENCH"
WEBHOOK_SECRET = "bench-webhook-secret"
SECRET_KEY = "bench-secret-key-bench-secret-key"
POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
SLACK_TOKEN = "xoxb-bench-token"
SLACK_SIGNING_SECRET = "bench-slack-signing-secret"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextlib.contextmanager
def running(
    command: list[str], env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[str]]:
    """A child process, terminated (then killed) when the block ends."""
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parent.parent
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_botapi(
    module: str = "bench.botapi",
) -> tuple[contextlib.AbstractContextManager[subprocess.Popen[str]], int]:
    """A stand-in (the Bot API, or `module`) and the port it listens on."""
    command = [sys.executable, "-m", module]
    manager = running(command + (["--token", TOKEN] if module == "bench.botapi" else []))
    process = manager.__enter__()
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("PORT "):
        manager.__exit__(None, None, None)
        raise RuntimeError(f"the stand-in {module} did not start: {line!r}")
    return manager, int(line.split()[1])


def wismo_env(database_url: str, port: int, api_port: int, **extra: str) -> dict[str, str]:
    """`wismo run` in Telegram webhook mode against the stand-in at `api_port`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("WISMO_") or k == "WISMO_BENCH_SHOP_DB"
    }
    env.update(
        {
            "WISMO_DATABASE_URL": database_url,
            "WISMO_HTTP_HOST": "127.0.0.1",
            "WISMO_HTTP_PORT": str(port),
            "WISMO_LOG_LEVEL": "WARNING",
            "WISMO_SECRET_KEY": SECRET_KEY,
            "WISMO_TELEGRAM_TOKEN": TOKEN,
            "WISMO_TELEGRAM_API_URL": f"http://127.0.0.1:{api_port}/bot",
            "WISMO_TELEGRAM_MODE": "webhook",
            "WISMO_TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram/webhook",
            "WISMO_TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
            # The stand-in is not Telegram: at 30/s and 1/s per chat the benchmark would
            # measure the pacer, not the service (the echo bot has no pacer either).
            "WISMO_TELEGRAM_RATE_GLOBAL": "1000000",
            "WISMO_TELEGRAM_RATE_PER_CHAT": "1000000",
        }
    )
    env.update(extra)
    return env


async def wait_http(
    url: str,
    process: subprocess.Popen[str],
    ok: set[int],
    body: bytes = b"{}",
    within: float = 90.0,
) -> None:
    """Until POSTing `body` (with the secret) to `url` answers one of `ok`: it takes updates."""
    deadline = time.monotonic() + within
    headers = {
        "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET,
        "Content-Type": "application/json",
    }
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{url}: the process exited with {process.returncode}")
            try:
                async with session.post(url, data=body, headers=headers) as response:
                    if response.status in ok:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not start accepting updates in {within:.0f} s")


@contextlib.contextmanager
def profiled(pid: int, out: Path) -> Iterator[None]:
    """py-spy samples process `pid` while the block runs; collapsed stacks land in `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    command = ["py-spy", "record", "--pid", str(pid), "--format", "raw", "-o", str(out)]
    spy = subprocess.Popen([str(Path(sys.executable).parent / command[0]), *command[1:]])
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
        spy.wait(timeout=60)


def start_wismo(env: dict[str, str]) -> contextlib.AbstractContextManager[subprocess.Popen[str]]:
    return running([*wismo(), "run"], env)


def start_echo(
    port: int, api_port: int, *, uvloop: bool = False
) -> contextlib.AbstractContextManager[subprocess.Popen[str]]:
    return running(
        [
            sys.executable, "-m", "bench.echo_bot", "--port", str(port),
            "--api-url", f"http://127.0.0.1:{api_port}/bot", "--token", TOKEN,
            "--secret", WEBHOOK_SECRET, *(["--uvloop"] if uvloop else []),
        ]
    )  # fmt: skip


@asynccontextmanager
async def throwaway_postgres(server: str = POSTGRES) -> AsyncIterator[str]:
    """A new database on the PostgreSQL `server`, dropped afterwards."""
    import asyncpg  # type: ignore[import-untyped]

    admin_dsn = server.replace("postgresql+asyncpg://", "postgresql://")
    name = f"wismo_bench_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(admin_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    try:
        yield server.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin = await asyncpg.connect(admin_dsn)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


__all__ = ["free_port", "log"]

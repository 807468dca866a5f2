"""`wismo demo` in a real terminal (a pseudo-terminal): prompt, numbered buttons, live pushes."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import WISMO, Wismo, free_port

pytestmark = pytest.mark.slow


class Terminal:
    """A process on a pseudo-terminal whose screen we read and whose keyboard we type on."""

    def __init__(self, wismo: Wismo, *args: str, **env: str) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(
            [str(WISMO), *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=wismo.cwd,
            env={**wismo.env, **env},
        )
        os.close(slave)
        self.screen = ""
        self._seen = 0

    def type(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\r")

    def wait_for(self, text: str, timeout: float = 30, *, since: int | None = None) -> str:
        """Everything new on the screen (or since position `since`) up to and including
        `text`; fails after `timeout`."""
        if since is not None:
            self._seen = min(self._seen, since)
        deadline = time.monotonic() + timeout
        while text not in self.screen[self._seen :]:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{text!r} never appeared; screen:\n{self.screen[-3000:]}"
            ready, _, _ = select.select([self.master], [], [], min(remaining, 0.2))
            if ready:
                try:
                    self.screen += os.read(self.master, 65536).decode(errors="replace")
                except OSError:
                    break
        end = self.screen.index(text, self._seen) + len(text)
        new, self._seen = self.screen[self._seen : end], end
        return new

    def exit_code(self, timeout: float = 15) -> int:
        """The exit code once the process ends. The screen is read meanwhile (a terminal
        always is: a process whose output nobody reads blocks on it); a process still
        running after `timeout` fails the test with where it stands."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.screen += os.read(self.master, 65536).decode(errors="replace")
                except OSError:
                    pass
        if self.process.poll() is None:
            spy = Path(sys.executable).with_name("py-spy")
            stacks = (
                subprocess.run(
                    [str(spy), "dump", "--pid", str(self.process.pid)],
                    capture_output=True,
                    text=True,
                    timeout=30,
                ).stdout
                if spy.exists()
                else "(no py-spy to show the stacks)"
            )
            pytest.fail(
                f"still running {timeout:.0f} s later; stacks:\n{stacks}\n"
                f"screen:\n{self.screen[-2000:]}"
            )
        return self.process.returncode

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)


@pytest.fixture
def terminal(wismo: Wismo):
    terminals: list[Terminal] = []

    def start(*args: str, **env: str) -> Terminal:
        terminals.append(Terminal(wismo, *args, **env))
        return terminals[-1]

    yield start
    for t in terminals:
        t.close()


def test_a_number_presses_a_button_and_a_followed_order_pushes_live(terminal) -> None:
    demo = terminal("demo", WISMO_SIMULATE_INTERVAL_SECONDS="0.5")
    demo.wait_for("you › ")
    started = len(demo.screen)
    demo.type("my orders")
    listed = demo.wait_for("you › ")
    assert "[2] Order 1001" in listed
    demo.type("2")
    shown = demo.wait_for("you › ")
    assert "Order 1001" in shown and "DHL" in shown
    # Order 1002 is followed and out for delivery: the simulated carrier's next scan
    # reaches this chat as a push without anyone asking — at whatever moment it comes,
    # between the replies above or after them.
    demo.wait_for("🔔 update › Order 1002", timeout=40, since=started)
    demo.process.send_signal(signal.SIGINT)
    assert demo.exit_code() == 0


def test_quit_leaves_the_demo(terminal) -> None:
    demo = terminal("demo", "--still")
    demo.wait_for("you › ")
    demo.type("/quit")
    assert demo.exit_code() == 0


def test_the_demo_prints_tracking_pages_that_open(terminal) -> None:
    import re

    import httpx

    port = free_port()
    demo = terminal("demo", "--still", WISMO_HTTP_PORT=str(port))
    guide = demo.wait_for("you › ")
    links = dict(re.findall(r"^\s+(\d{4})\s+(http://\S+)\s*$", guide, re.M))
    assert sorted(links) == ["1001", "1002", "1003", "1004", "1005", "1006"]
    assert links["1001"].startswith(f"http://127.0.0.1:{port}/t/")
    page = httpx.get(links["1001"], timeout=10)
    assert page.status_code == 200 and "<h1>Order 1001</h1>" in page.text
    demo.type("/quit")
    assert demo.exit_code() == 0


def test_the_staff_side_shows_the_queue_and_approves_a_return(terminal) -> None:
    import re

    demo = terminal("demo", "--staff", "--still")
    queue = demo.wait_for("staff › ")
    assert "Staff side" in queue and "Support queue" in queue
    assert "Open flags ·" in queue and "Returns waiting for a decision ·" in queue
    [(number, return_id)] = re.findall(r"\[(\d+)\] Approve return #(\d+)", queue)[:1]
    demo.type(number)
    done = demo.wait_for("staff › ")
    assert f"Return #{return_id} is approved" in done
    assert f"Approve return #{return_id}" not in done
    demo.type("/staff")
    back = demo.wait_for("you › ")
    assert "Shopper side" in back
    demo.type("/quit")
    assert demo.exit_code() == 0


def test_alerts_from_the_simulated_carrier_reach_the_staff_side(terminal) -> None:
    demo = terminal("demo", "--staff", WISMO_SIMULATE_INTERVAL_SECONDS="0.5")
    demo.wait_for("staff › ")
    # The carrier's moves raise new problems (a failed attempt, an exception, …); each one's
    # alert card appears here as it would in the Slack alerts channel, with its buttons.
    demo.wait_for("🚨 alert ›", timeout=60)
    card = demo.wait_for("Resolve", timeout=10)
    assert "Flag #" in card
    demo.process.send_signal(signal.SIGINT)
    assert demo.exit_code() == 0

"""The `wismo` command line, run as a real process the way a user or a script runs it."""

from __future__ import annotations

import json
import signal
import sqlite3
import time
import urllib.request

import pytest

from core.tracking.statuses import OrderStatus
from tests.e2e.conftest import Wismo, free_port

pytestmark = pytest.mark.slow

COMMANDS = ["run", "demo", "chat", "seed", "link", "db", "import", "insights", "apikey"]


def test_version(wismo: Wismo) -> None:
    result = wismo("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("wismo ")


def test_help_lists_every_command(wismo: Wismo) -> None:
    result = wismo("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert command in result.stdout


@pytest.mark.parametrize("command", [*COMMANDS, "db upgrade"])
def test_each_command_has_help(wismo: Wismo, command: str) -> None:
    result = wismo(*command.split(), "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout


def test_seed_demo_json_lists_the_sample_orders(wismo: Wismo) -> None:
    result = wismo("seed", "--demo", "--json")
    assert result.returncode == 0, result.stderr
    orders = json.loads(result.stdout)
    assert len(orders) >= 200
    assert {"number", "email", "status", "tracking_numbers"} <= set(orders[0])
    assert {o["status"] for o in orders} == {s.value for s in OrderStatus}
    assert len({o["number"] for o in orders}) == len(orders)
    assert orders[0]["number"] == "1001" and orders[0]["email"] == "alex.morgan@example.com"

    again = wismo("seed", "--demo")
    assert again.returncode == 1
    assert "already has" in again.stderr


def test_seed_without_demo_says_what_is_missing(wismo: Wismo) -> None:
    result = wismo("seed")
    assert result.returncode == 2
    assert "--demo" in result.stderr


def test_scripted_chat_verifies_then_answers_in_json(wismo: Wismo) -> None:
    assert wismo("seed", "--demo").returncode == 0
    script = "hi\nwhere is my order 1001\nalex.morgan@example.com\nthanks\n"
    result = wismo("chat", "--user", "e2e", "--json", stdin=script)
    assert result.returncode == 0, result.stderr
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["intent"] for r in replies][:2] == ["greeting", "verify"]
    order = next(r for r in replies if r["intent"] == "track_order")
    assert order["order_number"] == "1001"
    assert "DHL" in order["text"]
    assert any(b["action"] == "refresh" and b["payload"] == "1001" for b in order["buttons"])
    assert replies[-1]["intent"] == "thanks"


def test_an_unverified_chat_learns_nothing_about_someone_elses_order(wismo: Wismo) -> None:
    assert wismo("seed", "--demo").returncode == 0
    script = "where is order 1001\nnobody@example.com\n"
    result = wismo("chat", "--user", "stranger", "--json", stdin=script)
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0
    assert all(r["intent"] != "track_order" for r in replies)
    assert "DHL" not in result.stdout and "alex" not in result.stdout.lower()


def test_demo_with_piped_input_shows_the_shoppers_orders_and_exits_0(wismo: Wismo) -> None:
    result = wismo("demo", stdin="hi\nwhere is my order?\n")
    assert result.returncode == 0, result.stderr
    assert "Try asking" in result.stdout
    assert "Hi Alex! I'm the order assistant for Northwind Outfitters." in result.stdout
    for line in ("1001 · On its way", "1002 · Out for delivery", "1005 · Being prepared"):
        assert line in result.stdout
    assert (wismo.cwd / "data" / "demo.db").exists()
    assert "INFO" not in result.stdout and "Traceback" not in result.stderr


def test_demo_json_and_a_numbered_button(wismo: Wismo) -> None:
    result = wismo("demo", "--json", stdin="my orders\n1\n")
    assert result.returncode == 0, result.stderr
    listed, picked = (json.loads(line) for line in result.stdout.splitlines())
    assert listed["intent"] == "list_orders"
    first = listed["buttons"][0]
    assert picked["intent"] == "track_order"
    assert picked["order_number"] == first["payload"]


def test_link_prints_a_token_and_a_telegram_link(wismo: Wismo) -> None:
    assert wismo("seed", "--demo").returncode == 0
    result = wismo("link", "1001", WISMO_TELEGRAM_BOT_USERNAME="acme_shop_bot")
    assert result.returncode == 0, result.stderr
    token = result.stdout.split("token:")[1].split()[0]
    assert len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum()
    assert f"https://t.me/acme_shop_bot?start={token}" in result.stdout
    missing = wismo("link", "99999", WISMO_TELEGRAM_BOT_USERNAME="acme_shop_bot")
    assert missing.returncode == 1
    assert "no order with number '99999'" in missing.stderr


def test_link_refuses_to_point_at_the_default_bot_unless_told(wismo: Wismo) -> None:
    assert wismo("seed", "--demo").returncode == 0
    refused = wismo("link", "1001")
    assert refused.returncode == 2 and refused.stdout == ""
    assert "WISMO_TELEGRAM_BOT_USERNAME is still the default 'wismo_bot'" in refused.stderr
    allowed = wismo("link", "1001", "--allow-default")
    assert allowed.returncode == 0, allowed.stderr
    assert "https://t.me/wismo_bot?start=" in allowed.stdout


def test_errors_piped_to_a_script_stay_whole_and_name_the_option(wismo: Wismo) -> None:
    since = wismo("insights", "--since", "yesterday")
    assert since.returncode == 2
    assert (
        "Error: Invalid value for --since: 'yesterday' is neither a duration like 30d, 12h, 4w "
        "nor a date like 2026-10-01\n" in since.stderr
    )  # one line, not cut at 80 columns, no box
    chart = wismo("insights", "--chart", "/nonexistent/dir/x.png")
    assert chart.returncode == 1  # as the README says: a chart that cannot be written
    assert "cannot write /nonexistent/dir/x.png" in chart.stderr
    (wismo.cwd / "orders.csv").write_text("order_id,number,placed_at,email\n")
    kind = wismo("import", "orders.csv", "--kind", "parcels")
    assert kind.returncode == 4
    assert "error: orders.csv: unknown kind 'parcels'; use orders, shipments or events\n" in (
        kind.stderr
    )


def test_a_bad_setting_exits_non_zero_naming_it(wismo: Wismo) -> None:
    result = wismo("run", WISMO_HTTP_PORT="not-a-port")
    assert result.returncode == 2
    assert "WISMO_HTTP_PORT" in result.stderr


def test_a_plain_http_telegram_webhook_url_stops_the_start(wismo: Wismo) -> None:
    result = wismo(
        "run",
        WISMO_TELEGRAM_TOKEN="123:abc",
        WISMO_TELEGRAM_MODE="webhook",
        WISMO_TELEGRAM_WEBHOOK_SECRET="s3cret",
        WISMO_TELEGRAM_WEBHOOK_URL="http://shop.example/telegram/webhook",
    )
    assert result.returncode == 2
    assert "WISMO_TELEGRAM_WEBHOOK_URL must be an https:// URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_serves_healthz_and_stops_on_sigterm(wismo: Wismo) -> None:
    port = free_port()
    process = wismo.start("run", WISMO_HTTP_PORT=str(port), WISMO_LOG_LEVEL="WARNING")
    try:
        deadline = time.monotonic() + 30
        body = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    body = json.loads(r.read())
                    break
            except OSError:
                time.sleep(0.1)
        assert body == {"status": "ok"}, process.stderr.read() if process.stderr else ""
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_run_refuses_a_newer_unknown_schema(wismo: Wismo) -> None:
    assert wismo("db", "upgrade").returncode == 0
    with sqlite3.connect(wismo.cwd / "wismo.db") as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    result = wismo("run", WISMO_HTTP_PORT=str(free_port()))
    assert result.returncode == 3
    assert "9999_from_the_future" in result.stderr
    assert "newer" in result.stderr

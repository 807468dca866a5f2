"""`wismo apikey` and `wismo import` as a user runs them: output and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("WISMO_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/wismo.db")
    return CliRunner()


def test_apikey_create_prints_the_key_once_and_list_never_shows_it(runner: CliRunner) -> None:
    created = runner.invoke(app, ["apikey", "create", "shop"])
    assert created.exit_code == 0, created.output
    key = created.stdout.strip()
    assert key.startswith("wismo_") and "not shown again" in created.stderr
    listed = runner.invoke(app, ["apikey", "list"])
    assert listed.exit_code == 0 and "shop" in listed.stdout and "active" in listed.stdout
    assert key not in listed.stdout
    twice = runner.invoke(app, ["apikey", "create", "shop"])
    assert twice.exit_code == 1 and "already exists" in twice.stderr
    revoked = runner.invoke(app, ["apikey", "revoke", "shop"])
    assert revoked.exit_code == 0 and "revoked" in revoked.stdout
    assert "revoked" in runner.invoke(app, ["apikey", "list"]).stdout
    assert runner.invoke(app, ["apikey", "revoke", "ghost"]).exit_code == 1
    again = runner.invoke(app, ["apikey", "create", "shop"])  # a revoked name is free again
    assert again.exit_code == 0, again.output


def test_apikey_rotate_keeps_the_name_and_delete_removes_it(runner: CliRunner) -> None:
    first = runner.invoke(app, ["apikey", "create", "warehouse"]).stdout.strip()
    rotated = runner.invoke(app, ["apikey", "rotate", "warehouse", "--grace", "2h"])
    assert rotated.exit_code == 0, rotated.output
    second = rotated.stdout.strip()
    assert second.startswith("wismo_") and second != first
    assert "the old key keeps working for 2h" in rotated.stderr
    listed = runner.invoke(app, ["apikey", "list"]).stdout
    assert listed.count("warehouse") == 2 and "old key, works until" in listed
    bad = runner.invoke(app, ["apikey", "rotate", "warehouse", "--grace", "soon"])
    assert bad.exit_code == 2 and "--grace" in bad.output
    assert runner.invoke(app, ["apikey", "rotate", "ghost"]).exit_code == 1
    deleted = runner.invoke(app, ["apikey", "delete", "warehouse"])
    assert deleted.exit_code == 0 and "API key 'warehouse' deleted (2 keys)" in deleted.stdout
    assert "no API keys" in runner.invoke(app, ["apikey", "list"]).stdout
    gone = runner.invoke(app, ["apikey", "delete", "warehouse"])
    assert gone.exit_code == 1 and "no key named 'warehouse'" in gone.stderr


def test_import_the_samples_then_a_broken_file(runner: CliRunner, tmp_path: Path) -> None:
    for name in ("orders.csv", "shipments.csv", "events.csv"):
        result = runner.invoke(app, ["import", str(EXAMPLES / name)])
        assert result.exit_code == 0, result.output
        assert "0 rejected); " in result.stdout and result.stdout.endswith("0 rejected)\n")
    broken = tmp_path / "more-orders.csv"
    broken.write_text(
        "order_id,number,placed_at,email\n"
        "o-9,3009,2026-10-01T10:00:00Z,z@example.com\n"
        "o-10,3010,31/10/2026,y@example.com\n"
    )
    dry = runner.invoke(app, ["import", str(broken), "--dry-run"])
    assert dry.exit_code == 1
    assert "more-orders.csv:3: bad date in column 'placed_at'" in dry.stderr
    assert "dry run, nothing written" in dry.stdout
    result = runner.invoke(app, ["import", str(broken)])
    assert result.exit_code == 1
    assert (
        "2 rows (1 written, 0 unchanged, 1 rejected); "
        "2 orders (1 new, 0 updated, 0 unchanged, 1 rejected)"
    ) in result.stdout


def test_import_refuses_unusable_files_with_exit_code_4(runner: CliRunner, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["import", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 4 and "cannot read" in missing.stderr
    odd = tmp_path / "odd.csv"
    odd.write_text("colour,size\nred,L\n")
    unknown = runner.invoke(app, ["import", str(odd)])
    assert unknown.exit_code == 4 and "--kind" in unknown.stderr
    lacking = runner.invoke(app, ["import", str(odd), "--kind", "events"])
    assert lacking.exit_code == 4 and "lacks required column(s): event_id" in lacking.stderr

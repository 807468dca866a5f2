"""`wismo insights` as a user runs it: table, JSON, chart file, and clear refusals."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from core.storage import schema
from core.storage.db import Database
from tests.unit.insights import shop

PERIOD = ["--since", "2026-10-19", "--until", "2026-11-02"]


@pytest.fixture
def shop_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A SQLite file holding the hand-checked shop, as WISMO_DATABASE_URL."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'shop.db'}"

    async def build() -> None:
        database = Database(url)
        await schema.upgrade(database.engine)
        async with database.transaction() as session:
            await shop.build(session)
        await database.dispose()

    asyncio.run(build())
    monkeypatch.setenv("WISMO_DATABASE_URL", url)
    monkeypatch.setenv("COLUMNS", "160")  # rich wraps to the terminal width
    return url


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["insights", *args])


def test_the_table_shows_the_measures(shop_url: str) -> None:
    result = invoke(*PERIOD, "--no-accuracy")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Insights 2026-10-19 00:00 → 2026-11-02 00:00 UTC, all carriers" in out
    assert "50% (1 of 2 with a promise; 1 late; 3 delivered)" in out
    assert "First scan → delivered  ← slowest" in out
    assert "damaged 1, late 1, stuck 1" in out
    assert "5 asked, 3 where-is-my-order; self-service 80%" in out
    assert "33% of 3 delivered orders; reasons: defective 1, size_too_small 1" in out
    assert "Predicted delivery windows" not in out


def test_json_for_scripts(shop_url: str) -> None:
    result = invoke(*PERIOD, "--json", "--carrier", "dhl")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["carrier"] == "DHL"  # matched case-insensitively to the stored name
    assert data["on_time"] == {
        "delivered": 2, "with_promise": 2, "on_time": 1, "late": 1, "rate": 0.5
    }  # fmt: skip
    assert data["prediction"]["evaluated"] == 0  # far too little history to predict
    assert data["prediction"]["unpredicted"] == 2


def test_chart_file_is_a_png(shop_url: str, tmp_path: Path) -> None:
    target = tmp_path / "weekly.png"
    result = invoke(*PERIOD, "--no-accuracy", "--chart", str(target))
    assert result.exit_code == 0, result.output
    assert f"chart written to {target}" in result.output
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "yesterday"], "--since"),
        (["--since", "yesterday"], "neither a duration like 30d"),
        (["--since", "0d"], "must be longer than zero"),
        (["--until", "soon"], "Invalid value for --until"),
        (["--since", "2026-11-02", "--until", "2026-10-19"], "must start before it ends"),
        (["--chart", "out.jpg"], "must end in .png"),
    ],
)
def test_bad_options_are_refused_with_a_reason(
    shop_url: str, args: list[str], message: str
) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.output


def test_a_chart_in_a_missing_directory_cannot_be_written_exit_1_as_the_readme_says(
    shop_url: str,
) -> None:
    result = invoke("--chart", "/nonexistent/dir/x.png")
    assert result.exit_code == 1
    assert "cannot write /nonexistent/dir/x.png: no such directory /nonexistent/dir" in (
        result.output
    )


def test_an_unknown_carrier_names_the_known_ones(shop_url: str) -> None:
    result = invoke(*PERIOD, "--carrier", "Pigeon")
    assert result.exit_code == 1
    assert "no shipments with carrier 'Pigeon'; known carriers: DHL, UPS" in result.output

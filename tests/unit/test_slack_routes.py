"""WISMO_SLACK_ROUTES: each alert kind (and carrier) to its own channel, checked at start."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.services import core_config
from bot.settings import SettingsError, load_settings
from core.runtime.config import CoreConfig
from core.staff import alert_channel, parse_routes

ROUTES = "late=C0LATE, stuck:DHL=C0DHLSTUCK, flag:ups=C0UPS, return=C0RETURNS, *:dhl=C0DHL"


def _config(routes: str = ROUTES, alerts: str | None = "C0ALERTS") -> CoreConfig:
    return CoreConfig(slack_alerts_channel=alerts, slack_routes=parse_routes(routes))


@pytest.mark.parametrize(
    ("kind", "carrier", "channel"),
    [
        ("late", None, "C0LATE"),
        ("late", "DHL", "C0LATE"),  # the kind's own route beats the carrier's catch-all
        ("stuck", "DHL", "C0DHLSTUCK"),
        ("stuck", "dhl", "C0DHLSTUCK"),  # carriers in any case
        ("stuck", "GLS", "C0ALERTS"),
        ("exception", "UPS", "C0UPS"),
        ("exception", "DHL", "C0DHL"),
        ("exception", None, "C0ALERTS"),
        ("return", None, "C0RETURNS"),
        ("digest", None, "C0ALERTS"),
    ],
)
def test_the_most_specific_route_wins(kind: str, carrier: str | None, channel: str) -> None:
    assert alert_channel(_config(), kind, carrier) == channel


def test_without_routes_everything_goes_to_the_alerts_channel() -> None:
    assert alert_channel(_config(""), "late", "DHL") == "C0ALERTS"
    assert alert_channel(_config("", alerts=None), "late") is None
    # A route works without an alerts channel; the rest are then not posted.
    assert alert_channel(_config("*=C0ALL", alerts=None), "digest") == "C0ALL"


@pytest.mark.parametrize(
    ("routes", "message"),
    [
        ("late", "expected kind\\[:carrier\\]=CHANNEL_ID, got 'late'"),
        ("lat=C0LATE", "unknown alert kind 'lat'"),
        ("late=#late-parcels", "expected a channel id such as C0123ABCD, got '#late-parcels'"),
        ("return:dhl=C0RET", "'return' alerts have no carrier"),
        ("stuck:=C0X", "expected a carrier name"),
        ("late=C0A,late=C0B", "'late' is routed twice"),
    ],
)
def test_a_bad_route_names_the_setting(routes: str, message: str) -> None:
    with pytest.raises(SettingsError, match=f"WISMO_SLACK_ROUTES: .*{message}"):
        load_settings(_env_file=None, slack_routes=routes)


def test_the_core_gets_the_routes() -> None:
    config = core_config(load_settings(_env_file=None, slack_routes="late=C0LATE,"))
    assert config.slack_routes == (("late", "C0LATE"),)


def test_wismo_run_with_a_bad_route_stops_with_the_setting_named() -> None:
    result = CliRunner().invoke(app, ["run"], env={"WISMO_SLACK_ROUTES": "late=late-channel"})
    assert result.exit_code == 2, result.output
    assert "WISMO_SLACK_ROUTES" in result.output and "late-channel" in result.output
    assert "Traceback" not in result.output

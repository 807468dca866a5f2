"""Return and support settings are checked at start, with a message naming the setting."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services import core_config
from bot.settings import SettingsError, load_settings


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("support_hours", "9-5", "WISMO_SUPPORT_HOURS: expected HH:MM-HH:MM"),
        ("support_days", "weekdays", "WISMO_SUPPORT_DAYS: unknown day"),
        ("return_label_url_template", "https://x.example/l", "WISMO_RETURN_LABEL_URL_TEMPLATE"),
        ("support_timezone", "Mars/Base", "WISMO_SUPPORT_TIMEZONE"),
        ("return_window_days", "-1", "WISMO_RETURN_WINDOW_DAYS"),
    ],
)
def test_bad_values_are_named(setting: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(_env_file=None, **{setting: value})


def test_the_core_gets_the_return_and_support_settings() -> None:
    settings = load_settings(
        _env_file=None,
        return_window_days=14,
        return_label_url_template="https://shop.example/labels/{rma}",
        support_hours="08:00-20:00",
        support_days="mon-sat",
        support_timezone="Europe/Berlin",
        handoff_idle_hours=12,
    )
    config = core_config(settings)
    assert config.return_window == timedelta(days=14)
    assert config.return_label_url_template == "https://shop.example/labels/{rma}"
    assert (config.support_hours, config.support_days) == ("08:00-20:00", "mon-sat")
    assert config.support_timezone == "Europe/Berlin"
    assert config.handoff_idle == timedelta(hours=12)

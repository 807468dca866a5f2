"""Settings that would break `wismo run` later are refused at start, naming the setting."""

from __future__ import annotations

import pytest

from bot.settings import PLACEHOLDER_SECRET, SettingsError, load_settings


def test_production_refuses_the_placeholder_secret():
    with pytest.raises(SettingsError, match="WISMO_SECRET_KEY must be set to a real secret"):
        load_settings(_env_file=None, env="production", secret_key=PLACEHOLDER_SECRET)
    settings = load_settings(_env_file=None, env="production", secret_key="s3cr3t-" * 6)
    assert settings.env == "production"


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://wismo:pw@db:5432/wismo", "postgresql+asyncpg://wismo:pw@db:5432/wismo"),
        ("postgresql://wismo:p%40ss@db/wismo", "postgresql+asyncpg://wismo:p%40ss@db/wismo"),
        ("postgresql+asyncpg://wismo:pw@db/wismo", "postgresql+asyncpg://wismo:pw@db/wismo"),
        ("sqlite:///./data/shop.db", "sqlite+aiosqlite:///./data/shop.db"),
        ("sqlite+aiosqlite:///./data/wismo.db", "sqlite+aiosqlite:///./data/wismo.db"),
    ],
)
def test_database_urls_get_the_async_driver(given: str, used: str):
    assert load_settings(_env_file=None, database_url=given).database_url == used


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("mysql://wismo:pw@db/wismo", "got a 'mysql' URL"),
        ("postgresql+psycopg2://wismo:pw@db/wismo", "got a 'postgresql\\+psycopg2' URL"),
        ("db.internal:5432", "not a database URL"),
    ],
)
def test_an_unusable_database_url_is_named_without_its_password(given: str, message: str):
    with pytest.raises(SettingsError, match=f"WISMO_DATABASE_URL: .*{message}") as raised:
        load_settings(_env_file=None, database_url=given)
    assert "pw" not in str(raised.value)


def test_the_public_url_of_the_tracking_page_is_checked():
    with pytest.raises(SettingsError, match=r"WISMO_PUBLIC_URL: .*track\.example\.com"):
        load_settings(_env_file=None, public_url="track.example.com")
    given = load_settings(_env_file=None, public_url="https://track.example.com/")
    assert given.public_base_url == "https://track.example.com"
    default = load_settings(_env_file=None, http_port=9000)
    assert default.public_base_url == "http://127.0.0.1:9000"

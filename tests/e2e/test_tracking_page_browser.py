"""The tracking page in a real browser: `wismo run` serves it, headless Chromium opens the
link `wismo link --web` printed, and the test reads what a shopper would see.

Needs Debian's chromium and chromium-driver; skipped without them, except where
WISMO_REQUIRE_BROWSER=1 (CI installs them and sets it). The screenshot is kept as a test
artefact in tests/e2e/artifacts/.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.e2e.conftest import Wismo, free_port, wait_ready

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def _browser():  # type: ignore[no-untyped-def]
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        if os.environ.get("WISMO_REQUIRE_BROWSER") == "1":
            pytest.fail("WISMO_REQUIRE_BROWSER=1 but chromium or chromedriver is missing")
        pytest.skip("needs Debian's chromium and chromium-driver (apt-get install them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=412,1400",  # a phone's width
        "--lang=en-US",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def test_a_shopper_opens_the_tracking_link_in_a_browser(wismo: Wismo) -> None:
    browser = _browser()
    try:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {"WISMO_PUBLIC_URL": base, "WISMO_SHOP_NAME": "Northwind Outfitters"}
        seeded = wismo("seed", "--demo", **env)
        assert seeded.returncode == 0, seeded.stderr
        printed = wismo("link", "1001", "--web", "--json", **env)
        assert printed.returncode == 0, printed.stderr
        url = json.loads(printed.stdout)["url"]
        assert url.startswith(f"{base}/t/")
        service = wismo.start("run", WISMO_HTTP_PORT=str(port), **env)
        try:
            wait_ready(base, service)
            from selenium.webdriver.common.by import By

            browser.get(url)
            assert browser.title == "Order 1001 · Northwind Outfitters"
            heading = browser.find_element(By.TAG_NAME, "h1").text
            status = browser.find_element(By.CSS_SELECTOR, "p.status").text
            fields = {
                dt.text: dd.text
                for dt, dd in zip(
                    browser.find_elements(By.TAG_NAME, "dt"),
                    browser.find_elements(By.TAG_NAME, "dd"),
                    strict=True,
                )
            }
            events = browser.find_elements(By.CSS_SELECTOR, "ol.timeline li")
            assert heading == "Order 1001"
            assert status  # the status in words, e.g. "It's with the carrier and on its way"
            assert fields["Status"] and fields["Carrier"] == "DHL"
            assert any(label.startswith(("Expected", "Usually arrives")) for label in fields)
            assert len(events) >= 2 and all(
                e.find_element(By.TAG_NAME, "time").text for e in events
            )
            ARTIFACTS.mkdir(exist_ok=True)
            assert browser.save_screenshot(str(ARTIFACTS / "tracking-page.png"))
            # A forged link shows the plain refusal, nothing of the order.
            browser.get(url[:-3] + "AAA")
            assert "doesn't work" in browser.find_element(By.TAG_NAME, "h1").text
            assert "1001" not in browser.page_source
        finally:
            service.terminate()
            service.wait(timeout=30)
    finally:
        browser.quit()

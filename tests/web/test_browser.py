"""The workspace in a real browser: Debian's Chromium driven by Selenium through chromedriver.

Log in (a wrong password first), triage a mention, correct a sentiment, search "pannes", open the
dashboard, and a form posted without its CSRF token is refused. Screenshots of each step are kept
in ``var/test-output/browser/`` (or ``$VEILLE_TEST_OUTPUT/browser``). Skipped, with the reason,
where Chromium or chromedriver is not installed (`apt-get install chromium chromium-driver`).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.support import free_port
from tests.web.conftest import PASSWORDS
from veille.web.server import WebServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
         "--window-size=1400,1000")  # fmt: skip
OUTPUT = Path(
    os.environ.get("VEILLE_TEST_OUTPUT", Path(__file__).resolve().parents[2] / "var" / "test-output")
)

pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
    reason="browser tests need Debian's chromium and chromium-driver "
    "(apt-get install chromium chromium-driver)",
)


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


@pytest.fixture
def shots():
    folder = OUTPUT / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _after_post(browser, row_id: str, done) -> None:
    """Wait until ``done(rows with row_id)`` holds on the page a form post redirects to.

    A click returns before the redirect's page has loaded: an element found at once may belong to
    the page being left (stale, or showing the state before the post)."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 15, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda driver: done(driver.find_elements(By.ID, row_id))
    )


def test_a_community_manager_session(seeded, browser, shots):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    ids = {k: m.id for k, m in seeded.mentions.items()}
    with WebServer(seeded.ws, port=free_port()) as server:
        browser.get(f"{server.url}/inbox")
        assert "/login" in browser.current_url

        browser.find_element(By.ID, "username").send_keys("camille")
        browser.find_element(By.ID, "password").send_keys("not-the-password")
        browser.find_element(By.ID, "login").click()
        assert "incorrect" in browser.find_element(By.ID, "login-error").text
        browser.save_screenshot(str(shots / "01-wrong-password.png"))

        browser.find_element(By.ID, "username").clear()
        browser.find_element(By.ID, "username").send_keys("camille")
        browser.find_element(By.ID, "password").send_keys(PASSWORDS["camille"])
        browser.find_element(By.ID, "login").click()
        # A click does not wait for the redirect that follows the form post: wait for the inbox.
        WebDriverWait(browser, 15).until(lambda driver: driver.current_url.endswith("/inbox"))
        rows = browser.find_elements(By.CSS_SELECTOR, "table.inbox tr.row")
        assert rows[0].get_attribute("id") == f"m-{ids['late_influential']}"
        browser.save_screenshot(str(shots / "02-inbox.png"))

        # Triage the most urgent mention: assign it, then mark it handled with a note.
        row = browser.find_element(By.ID, f"m-{ids['late_influential']}")
        Select(row.find_element(By.NAME, "assignee")).select_by_visible_text("camille")
        row.find_element(By.CSS_SELECTOR, "button.assign").click()
        urgent = f"m-{ids['late_influential']}"
        _after_post(browser, urgent, lambda rows: bool(rows) and "assignée à camille" in rows[0].text)
        row = browser.find_element(By.ID, urgent)
        row.find_element(By.NAME, "note").send_keys("Répondu en message privé")
        row.find_element(By.CSS_SELECTOR, "button.handle").click()
        _after_post(browser, urgent, lambda rows: not rows)  # handled: out of the inbox
        browser.save_screenshot(str(shots / "03-after-triage.png"))

        # Correct the sarcastic "Bravo Velora…" that the model read as positive.
        row = browser.find_element(By.ID, f"m-{ids['wrongly_positive']}")
        Select(row.find_element(By.NAME, "label")).select_by_value("negative")
        row.find_element(By.CSS_SELECTOR, "button.correct").click()
        corrected = f"m-{ids['wrongly_positive']}"
        _after_post(
            browser,
            corrected,
            lambda rows: bool(rows) and "négatif" in rows[0].find_element(By.CSS_SELECTOR, "td.label").text,
        )
        row = browser.find_element(By.ID, corrected)
        assert "sentiment corrigé par camille" in row.text

        browser.get(f"{server.url}/search?q=pannes")
        summary = browser.find_element(By.ID, "search-summary").text
        assert int(summary.split()[0]) >= 1
        marks = browser.find_elements(By.CSS_SELECTOR, ".hit mark")
        assert marks and marks[0].text.lower().startswith("panne")
        browser.save_screenshot(str(shots / "04-search.png"))

        browser.get(f"{server.url}/dashboard")
        assert browser.find_elements(By.CSS_SELECTOR, "svg.chart rect")
        assert "Part de voix" in browser.page_source
        browser.save_screenshot(str(shots / "05-dashboard.png"))

        # A form posted without its CSRF token is refused and changes nothing.
        browser.get(f"{server.url}/inbox")
        row = browser.find_element(By.ID, f"m-{ids['happy']}")
        form = row.find_element(By.CSS_SELECTOR, "form[action$='/handle']")
        browser.execute_script("arguments[0].querySelector('input[name=csrf]').remove()", form)
        form.find_element(By.CSS_SELECTOR, "button.handle").click()
        WebDriverWait(browser, 15, ignored_exceptions=(StaleElementReferenceException,)).until(
            lambda driver: "CSRF" in driver.find_element(By.TAG_NAME, "body").text
        )
        browser.save_screenshot(str(shots / "06-csrf-refused.png"))
        browser.get(f"{server.url}/inbox")
        assert browser.find_elements(By.ID, f"m-{ids['happy']}")

    actions = [line["action"] for line in seeded.ws.audit.lines()]
    assert actions[:2] == ["login-failed", "login"]
    assert {"assign", "handle", "sentiment", "csrf-refused"} <= set(actions)
    assert len(list(shots.glob("0*.png"))) >= 6

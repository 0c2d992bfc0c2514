"""The review page in a real browser (Debian Chromium via Playwright): the analyst's path."""

from __future__ import annotations

import csv
import io
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from openpyxl import load_workbook

from conftest import require_component
from test_web_support import CASE, case_url, ingest_fixture, make_settings

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
SCREENSHOTS = (
    Path(os.environ["REPLYAUDIT_SCREENSHOTS"])
    if os.environ.get("REPLYAUDIT_SCREENSHOTS")
    else None
)

pytestmark = pytest.mark.browser

# The shared fixtures (replayed database, settings, client) live in test_web_support.
pytest_plugins = ["test_web_support"]


@pytest.fixture
def server(db, tmp_path):
    """The review page on 127.0.0.1, a free port, with one reviewer who must sign in."""
    from werkzeug.serving import make_server

    from replyaudit.review import add_user
    from replyaudit.store import Store
    from replyaudit.web.app import create_app

    with Store(db) as store:
        add_user(store, "camille", "mot de passe de test")
    settings = make_settings(db, tmp_path, require_login=True, port=0)
    httpd = make_server("127.0.0.1", 0, create_app(settings), threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def browser_page():
    require_component("chromium", CHROMIUM.exists(), "apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1400, "height": 1000}
        )
        page = context.new_page()
        page.requests = []
        page.on("request", lambda request: page.requests.append(request.url))
        yield page
        context.close()
        browser.close()


def _login(page, server):
    page.goto(server + "/")
    page.fill("input[name=name]", "camille")
    page.fill("input[name=password]", "mot de passe de test")
    page.click("button[type=submit]")
    page.wait_for_url(server + "/")


def _shot(page, name):
    if SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_web_browser_review_override_approve_export(browser_page, server, tmp_path):
    """Log in, open a case, override an answer with a comment, approve, export CSV and XLSX."""
    page = browser_page
    _login(browser_page, server)
    assert page.locator("tr.status-to_review").count() == 24
    _shot(page, "list.png")

    page.click(f"text={CASE}")
    _shot(page, "case.png")
    total = int(page.inner_text("#total"))
    answer = page.locator("#q-brand_address")
    answer.locator("summary", has_text="Modifier").click()
    chosen = answer.locator("input[name=valeur]:checked").get_attribute("value")
    other = "no" if chosen == "yes" else "yes"
    answer.locator(f"input[name=valeur][value={other}]").check()
    answer.locator("textarea[name=commentaire]").fill(
        "signature du groupe, adresse non Lexus"
    )
    answer.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert int(page.inner_text("#total")) == total + (1 if other == "yes" else -1)
    assert "signature du groupe, adresse non Lexus" in page.inner_text("table.audit")

    page.click("#approve")
    page.wait_for_load_state()
    assert page.inner_text("#status") == "approuvé"
    assert "camille" in page.inner_text("table.audit")

    page.goto(server + "/statistiques")
    with page.expect_download() as download:
        page.click("#export-csv")
    rows = list(
        csv.DictReader(
            io.StringIO(Path(download.value.path()).read_text("utf-8-sig")),
            delimiter=";",
        )
    )
    assert [r["Demande"] for r in rows] == [CASE]
    assert rows[0]["Q3 brand_address"] == ("Oui" if other == "yes" else "Non")
    with page.expect_download() as download:
        page.click("#export-xlsx")
    target = tmp_path / "export.xlsx"
    download.value.save_as(target)
    sheet = load_workbook(target)["Scorecards"]
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(2, header.index("Demande") + 1).value == CASE
    assert sheet.cell(2, header.index("Total /29") + 1).value == total + (
        1 if other == "yes" else -1
    )


def test_web_browser_loads_nothing_remote(browser_page, server, db):
    """A message with remote images, a tracking pixel, scripts and web fonts makes no outside request."""
    page = browser_page
    ingest_fixture(db, "hostile-reply.eml")
    _login(browser_page, server)
    page.goto(server + case_url())
    for details in page.locator("details.html").all():
        details.locator("summary").click()
    page.wait_for_timeout(500)
    assert "disponible en stock" in page.inner_text("body")
    hosts = {
        urlsplit(url).netloc for url in page.requests if not url.startswith("data:")
    }
    assert hosts == {urlsplit(server).netloc}, page.requests
    _shot(page, "hostile.png")


def test_web_browser_form_without_token_is_refused(browser_page, server):
    """A form stripped of its CSRF token is refused with 400."""
    page = browser_page
    _login(browser_page, server)
    page.goto(server + case_url())
    page.evaluate(
        "document.querySelectorAll('input[name=csrf_token]').forEach(e => e.remove())"
    )
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        page.click("#approve")
    assert response.value.status == 400
    page.goto(server + case_url())
    assert page.inner_text("#status") == "à revoir"

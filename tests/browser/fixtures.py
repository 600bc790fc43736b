"""Playwright driving Debian's Chromium against pytest-django's live server: the fixtures every browser test uses.

They are registered once, by the root conftest, for the whole suite: a second copy of the session-wide
``chromium`` fixture (imported into another folder's conftest) would start a second Playwright in the same
thread, which Playwright refuses. Playwright's sync API runs an event loop in the test's thread, so Django's
"async unsafe" guard would refuse the ORM calls the fixtures make: it is lifted once a browser starts.
"""

import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"


class OneRequestAtATime:
    """A WSGI app that runs one request (its streamed body included) at a time.

    On SQLite the test database lives in memory, and pytest-django hands that one connection to every thread
    of the live server: the field app's parallel requests (service worker, lists, outbox) then interleave on
    it ("cannot open savepoint - SQL statements in progress") and can leave it inside a broken transaction
    for every later browser test. PostgreSQL gives each thread its own connection and keeps the threads."""

    def __init__(self, application):
        self.application = application
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            result = self.application(environ, start_response)
            try:
                return [b"".join(result)]  # a streamed body reads the database too
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()


class SerialOnSqliteServer(ThreadedWSGIServer):
    def set_app(self, application):
        super().set_app(OneRequestAtATime(application))


@pytest.fixture(scope="session", autouse=True)
def live_server_serial_on_sqlite() -> Iterator[None]:
    """Before the live server starts: on SQLite its requests take turns (see ``OneRequestAtATime``)."""
    from django.db import connection
    from django.test.testcases import LiveServerThread

    if connection.vendor != "sqlite":
        yield
        return
    original = LiveServerThread.server_class
    LiveServerThread.server_class = SerialOnSqliteServer
    yield
    LiveServerThread.server_class = original


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the item so that fixtures can tell whether the test failed.
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/ensure-chromium.sh` (or `make test`).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium: Browser, request: pytest.FixtureRequest):
    """Open a page in a fresh context of the given viewport; screenshot it if the test fails."""
    contexts = []
    pages: list[Page] = []

    def open_page(width: int = 1280, height: int = 800) -> Page:
        context = chromium.new_context(viewport={"width": width, "height": height}, locale="id-ID")
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        return page

    yield open_page

    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        RESULTS_DIR.mkdir(exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        for i, page in enumerate(pages):
            try:
                page.screenshot(path=str(RESULTS_DIR / f"{stem}-{i}.png"), full_page=True)
                (RESULTS_DIR / f"{stem}-{i}.html").write_text(page.content(), encoding="utf-8")
            except Exception as exc:  # a crashed page must not hide the test's own failure
                print(f"screenshot failed: {exc}")
    for context in contexts:
        context.close()


def login(page: Page, base_url: str, username: str, password: str | None = None) -> None:
    """Sign ``username`` in through the real pages, second factor included.

    Staff who must use verification in two steps are enrolled with ``tests.signin.TOTP_SECRET`` first (if not
    yet), and the code their authenticator would show is typed on the code page. Ends on the page after."""
    from pilar.accounts.models import User  # noqa: PLC0415  (the app registry is ready once a test runs)
    from tests.conftest import PASSWORD  # noqa: PLC0415  (conftest imports this module)
    from tests.signin import enrol, needs_second_factor, totp_code  # noqa: PLC0415

    user = User.objects.get(username=username)
    second_factor = needs_second_factor(user)
    if second_factor:
        enrol(user)
    page.goto(f"{base_url}/akun/masuk/")
    page.get_by_label(re.compile(r"^\s*Nama pengguna\s*:?\s*\*?\s*$")).fill(username)
    # Django's Indonesian catalog calls the password "Sandi"; Pilar's own messages say "kata sandi".
    page.get_by_label(re.compile(r"^\s*(Kata sandi|Sandi)\s*:?\s*\*?\s*$")).fill(password or PASSWORD)
    page.locator("main").get_by_role("button", name="Masuk").click()
    if second_factor:
        expect(page).to_have_url(re.compile(r"/akun/masuk/kode/"))
        page.get_by_label(re.compile(r"^\s*Kode\s*:?\s*\*?\s*$")).fill(totp_code(user))
        page.locator("main").get_by_role("button", name="Verifikasi").click()
    expect(page).not_to_have_url(re.compile(r"/akun/masuk/"))


def confirm(scope: Page | Locator, label: str, yes: str) -> None:
    """Press an action that asks first (layout/_confirm.html): its button unfolds the question, ``yes`` sends."""
    scope.locator("details[data-confirm] > summary", has_text=label).click()
    scope.get_by_role("button", name=yes, exact=True).click()

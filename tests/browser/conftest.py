"""Browser fixtures: Debian's Chromium driven by Playwright's sync API against pytest-django's live server.

Nothing is downloaded: Playwright launches the system Chromium by path. Tests sign in through the real login form,
collect console errors and uncaught page errors (each test asserts there were none), and save a screenshot of each
journey into tests/browser/screenshots/ (ignored by git).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]  # fmt: skip
SCREENSHOTS = Path(__file__).parent / "screenshots"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=f"browser tests need Debian's Chromium at {CHROMIUM}"))


@pytest.fixture(scope="module", autouse=True)
def _allow_database_calls_beside_playwright():
    """Playwright's sync API runs an event loop in the test thread, and Django refuses database calls from a thread
    with a running loop. Set only while browser tests run: a process-wide setting would leak into other tests (and
    into ``check --deploy`` run from them, which rightly warns about it)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(_allow_database_calls_beside_playwright):
    """Chromium for one test module; Playwright (and its event loop) stops when the module ends."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class ConsoleErrors(list):
    """Console errors and uncaught exceptions seen by a page. ``allow(text)`` accepts one expected message."""

    def __init__(self):
        super().__init__()
        self.allowed = []

    def allow(self, text):
        self.allowed.append(text)

    def unexpected(self):
        return [error for error in self if not any(text in error for text in self.allowed)]


@pytest.fixture
def console_errors():
    return ConsoleErrors()


@pytest.fixture
def open_page(browser, live_server, transactional_db, console_errors):
    """``open_page(width=1280, height=900)``: a fresh page of that size on the live server whose console is
    watched; the test fails if any unexpected error appeared."""
    contexts = []

    def make(width=1280, height=900):
        context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: console_errors.append(f"uncaught: {error}"))
        return page

    yield make
    for context in contexts:
        context.close()
    assert console_errors.unexpected() == [], "the browser console reported errors"


@pytest.fixture
def browser_page(open_page):
    """A fresh page, desktop size (see ``open_page``)."""
    return open_page()


@pytest.fixture
def sign_in():
    """``sign_in(page, membership)``: signs in through the real login form."""
    from tests.factories import PASSWORD

    def go(page, membership):
        page.goto("/accounts/login/")
        page.get_by_label("E-mail").fill(membership.user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()

    return go


@pytest.fixture
def screenshot():
    """``screenshot(page, name)``: saves a full-page PNG into tests/browser/screenshots/ and returns its path."""

    def take(page, name):
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take

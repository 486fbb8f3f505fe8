"""Browser fixtures: a real Chromium (Debian's), driven through Playwright's sync API.

Tests that use them are marked ``@pytest.mark.browser`` and run against ``live_server`` with
``@pytest.mark.django_db(transaction=True)``, so the server thread sees the test's data.
"""

import os
import re
import tempfile
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Screenshots: /tmp unless SCREENSHOTS_DIR says otherwise (CI may keep it as an artifact).
SCREENSHOTS_DIR = Path(os.environ.get("SCREENSHOTS_DIR") or tempfile.gettempdir())
TIMEOUT_MS = 5_000  # a page of this site answers in milliseconds; fail fast, not after 30 s


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def chromium_path() -> Path:
    return Path(os.environ.get("CHROMIUM") or "/usr/bin/chromium")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so `page` knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if not os.access(executable, os.X_OK):
        reason = (
            f"Chromium not found at {executable} (set CHROMIUM, or run `make chromium`, "
            "i.e. apt-get install chromium)"
        )
        if _in_ci():
            pytest.fail(f"{reason}; browser tests must run in CI.", pytrace=False)
        pytest.skip(reason)

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an asyncio event loop in the main thread, the one the test
    # runs in. Django sees that running loop and refuses every ORM call from the test
    # (SynchronousOnlyOperation), although the test's code is plain synchronous code that
    # never runs inside that loop. The variable turns that guard off while the browser runs,
    # and only then: other tests keep the guard (and subprocesses do not inherit it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_errors():
    """JavaScript errors and console errors (a script blocked by the CSP shows up here)."""
    return []


@pytest.fixture
def new_page(browser, browser_errors, request):
    """Open a page in a fresh context (its own cookies): ``new_page(viewport=DESKTOP)``.
    A failing test leaves a screenshot in SCREENSHOTS_DIR/<test name>-failure.png."""
    contexts = []

    def open_page(viewport=PHONE):
        context = browser.new_context(locale="fr-FR", viewport=viewport)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: browser_errors.append(f"pageerror: {error}"))
        page.on(
            "console",
            lambda message: (
                browser_errors.append(f"console: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        return page

    yield open_page

    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        for index, context in enumerate(contexts):
            for page in context.pages:
                path = SCREENSHOTS_DIR / f"{name}-failure{index or ''}.png"
                page.screenshot(path=path, full_page=True)
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A page the size of a phone: most visitors come from a link shared on a social network."""
    return new_page(viewport=PHONE)

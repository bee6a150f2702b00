"""The browser suite's fixtures: one devstack, one Chromium, a fresh context per page.

- ``devstack`` is the e2e suite's own fixture (``bookingctl local up`` in a child
  process, see ``tests/e2e/conftest.py``): the browser tests share one, in the xdist
  group ``browser``, and reach it only as a person would (its web URL) plus the API
  and the outbox for what a test arranges or checks behind the page.
- ``target`` (``target.py``): with ``BOOKING_WEB_URL`` set, a deployed stack and its test
  user (``BOOKING_TEST_USER_*``), and no devstack starts; else the devstack and its demo
  patient. ``web_url`` and ``sign_in(page, "Patient")`` follow it; a test that needs the
  devstack itself (outbox, other demo users, its Lambda service, ``local tick``) is marked
  ``devstack`` and deselected against a deployed stack (``-m "not devstack"``).
- ``browser`` is Debian's Chromium (``tests/browser/chromium.py``), launched once.
- ``new_page(**context_options)`` opens a page in a new context (no cookies, no storage:
  every page starts signed out); ``page`` is one with the defaults: the browser's zone
  is ``Asia/Tokyo``, far from the clinic's ``America/Guayaquil``, so a time rendered
  in the browser's zone instead of the clinic's is wrong in every test, and its language
  English, so the Spanish the app shows comes from the stack's configuration.
- ``sign_in(page, role_or_user, path)``: through the managed login's page, as a person
  (a demo role such as ``"Reception"``, a ``DemoUser`` or an ``(email, password)``);
  ``web_url`` is the app's address, ``outbox`` the sent emails (``outbox.py``).

Every module marks itself ``pytestmark = [pytest.mark.browser, pytest.mark.slow,
pytest.mark.xdist_group("browser")]`` (the group keeps the suite on one worker, so on
one devstack). Helpers: ``flows.py`` (sign-in steps, ``assert_accessible``, the stored
session, ``tab_to``), ``wizard.py`` (the booking wizard, the clinic's clock),
``past_bookings.py`` (a booking that has already begun).

A test that fails leaves, for each page it opened, a screenshot and the page's console
log (messages, uncaught errors, failed requests, the API changes it asked for) in
``build/test-results/browser/<test>/``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, Response, expect, sync_playwright

from tests.browser.chromium import LAUNCH_FLAGS, ChromiumMissing, chromium_executable
from tests.browser.flows import SignIn, credentials, sign_in_as
from tests.browser.outbox import Outbox
from tests.browser.target import TARGET_ROLE, Target, TargetMisconfigured
from tests.e2e.conftest import Devstack, devstack  # the e2e suite's launcher, reused

__all__ = ["devstack"]

ROOT = Path(__file__).resolve().parents[2]
FAILURES_DIR = ROOT / "build" / "test-results" / "browser"
BROWSER_TIME_ZONE = "Asia/Tokyo"
BROWSER_LOCALE = "en-US"
# Long enough for a cold Lambda container behind a page on a busy 2-core machine.
DEFAULT_TIMEOUT_MS = 30_000
expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the test, so the page fixture knows it failed."""
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


def _failed(node: pytest.Item) -> bool:
    reports = node.stash.get(_REPORTS, {})
    return any(report.failed for report in reports.values())


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    try:
        executable = chromium_executable()
    except ChromiumMissing as missing:
        pytest.fail(str(missing))
    chromium = playwright.chromium.launch(executable_path=str(executable), args=list(LAUNCH_FLAGS))
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest) -> Target:
    """The deployed stack ``BOOKING_WEB_URL`` names (no devstack starts), else the devstack."""
    try:
        deployed = Target.of_environment(os.environ)
    except TargetMisconfigured as problem:
        pytest.fail(str(problem))
    if deployed is not None:
        return deployed
    return Target.of_devstack(request.getfixturevalue("devstack"))


@pytest.fixture(scope="session")
def web_url(target: Target) -> str:
    return target.web_url


class _Console:
    """What a page said: console messages, uncaught errors, failed requests, and the
    API requests that change something (with their bodies: never the sign-in form's)."""

    def __init__(self, page: Page) -> None:
        self.lines: list[str] = []
        page.on("console", lambda message: self.lines.append(f"[{message.type}] {message.text}"))
        page.on("pageerror", lambda error: self.lines.append(f"[pageerror] {error}"))
        page.on(
            "requestfailed",
            lambda request: self.lines.append(
                f"[requestfailed] {request.method} {request.url}: {request.failure}"
            ),
        )
        page.on("response", self._response)

    def _response(self, response: Response) -> None:
        """Failed answers, and every change the page asked for (with what it sent)."""
        request = response.request
        if response.status >= 400 or request.method not in ("GET", "HEAD", "OPTIONS"):
            sent = f" {request.post_data[:2000]}" if request.post_data and "/api/" in request.url else ""
            self.lines.append(f"[http {response.status}] {request.method} {response.url}{sent}")


def _save_failure(directory: Path, page: Page, console: _Console) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "console.log").write_text(
        f"url: {page.url}\n" + "\n".join(console.lines) + "\n", encoding="utf-8"
    )
    try:
        page.screenshot(path=str(directory / "screenshot.png"), full_page=True)
    except Exception as error:  # a crashed page still leaves its log
        (directory / "screenshot-failed.txt").write_text(str(error), encoding="utf-8")


NewPage = Callable[..., Page]


@pytest.fixture
def new_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[NewPage]:
    """Pages in fresh contexts; ``context_options`` are ``Browser.new_context``'s."""
    opened: list[tuple[Page, _Console]] = []
    contexts = []

    def open_page(**context_options: Any) -> Page:
        options = {"timezone_id": BROWSER_TIME_ZONE, "locale": BROWSER_LOCALE, **context_options}
        context = browser.new_context(**options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        opened.append((page, _Console(page)))
        return page

    yield open_page
    if _failed(request.node):
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        for number, (page, console) in enumerate(opened, start=1):
            suffix = "" if len(opened) == 1 else f"-page{number}"
            _save_failure(FAILURES_DIR / f"{name}{suffix}", page, console)
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: NewPage) -> Page:
    return new_page()


@pytest.fixture
def sign_in(target: Target, request: pytest.FixtureRequest) -> SignIn:
    """``sign_in(page, "Patient", "/appointments")``: the page, signed in as the target's
    patient (``"Patient"``), as another demo role of the devstack (``"Reception"``), a
    ``DemoUser`` or an ``(email, password)``, showing ``path``."""

    def signed_in(page: Page, who: Any, path: str = "/") -> Page:
        if who == TARGET_ROLE:
            who = target.patient
        elif isinstance(who, str):  # another role: only the devstack has one
            who = credentials(request.getfixturevalue("devstack"), who)
        return sign_in_as(page, target.login_url, target.web_url, who, path)

    return signed_in


@pytest.fixture
def outbox(devstack: Devstack) -> Outbox:
    return Outbox(devstack.outputs.outbox)

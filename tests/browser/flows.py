"""What the browser tests do again and again: sign in through the managed login, wait
for the app to settle, run axe-core on a page, read the devstack's outbox.

Locators are by role and accessible name (Playwright's advice, and the app's
accessibility contract): the names are the app's Spanish texts (``web/src/lib/i18n``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, Page, expect

from devstack.outputs import DemoUser
from tests.e2e.conftest import Devstack
from tests.e2e.test_notifications import emails_about

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
# What the issue asks: no serious or critical violation on any page.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
EMAIL_WAIT_SECONDS = 30.0

SignIn = Callable[..., Page]

SIGN_OUT = re.compile(r"^(Cerrar sesión|Sign out)$")
EMAIL_LABEL = re.compile(r"^(Correo electrónico|Email)$")
PASSWORD_LABEL = re.compile(r"^(Contraseña|Password)$")
SUBMIT = re.compile(r"^(Iniciar sesión|Sign in)$")


def credentials(devstack: Devstack, who: Any) -> tuple[str, str]:
    """A role name ("Patient"), a ``DemoUser`` or an ``(email, password)`` pair."""
    if isinstance(who, DemoUser):
        return who.email, who.password
    if isinstance(who, tuple):
        return who
    user = devstack.user(str(who))
    return user.email, user.password


def fill_sign_in_form(page: Page, email_address: str, password: str) -> None:
    """On the managed login's page: the email, the password, and submit."""
    page.get_by_label(EMAIL_LABEL).fill(email_address)
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.get_by_role("button", name=SUBMIT).click()


def on_sign_in_page(page: Page, devstack: Devstack) -> None:
    login = devstack.outputs.sign_in_url.rstrip("/")
    page.wait_for_url(lambda url: url.startswith(f"{login}/login"))
    expect(page.get_by_label(PASSWORD_LABEL)).to_be_visible()


def wait_until_signed_in(page: Page, web_url: str) -> None:
    """Back in the app from ``/callback``, with the signed-in header shown."""
    page.wait_for_url(lambda url: url.startswith(web_url) and "/callback" not in url)
    expect(page.get_by_role("button", name=SIGN_OUT)).to_be_visible()


def sign_in_as(page: Page, devstack: Devstack, web_url: str, who: Any, path: str = "/") -> Page:
    """Open ``path`` signed out, sign in on the managed login's page, come back to it
    (``/`` sends a signed-in user to their role's start page)."""
    email_address, password = credentials(devstack, who)
    page.goto(f"{web_url}{path}")
    if path == "/":
        page.get_by_role("main").get_by_role("button", name=SUBMIT).click()
    on_sign_in_page(page, devstack)
    fill_sign_in_form(page, email_address, password)
    wait_until_signed_in(page, web_url)
    if path != "/":
        expect(page).to_have_url(f"{web_url}{path}")
    return page


# --- axe-core ----------------------------------------------------------------------


@cache
def _axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `make web` (it runs npm ci in web/)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now. The script
    goes in through the DevTools protocol, which the page's CSP does not govern, so the
    page is checked under its real headers."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    results = page.evaluate("() => axe.run(document, { resultTypes: ['violations'] })")
    return [item for item in results["violations"] if item.get("impact") in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']} — {violation['help']}")
        lines += [f"    {' '.join(node['target'])}: {node['failureSummary']}" for node in violation["nodes"]]
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


# --- the outbox --------------------------------------------------------------------


class Outbox:
    """The devstack's sent emails (``.eml`` files), by booking."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def wait_for(self, booking_id: str, kind: str) -> EmailMessage:
        """The first email of ``kind`` ("confirmation", …) about the booking."""
        deadline = time.monotonic() + EMAIL_WAIT_SECONDS
        while True:
            found = [m for m in emails_about(self.directory, booking_id) if m["X-Booking-Email-Kind"] == kind]
            if found:
                return found[0]
            if time.monotonic() > deadline:
                pytest.fail(f"no {kind} email about booking {booking_id} in {self.directory}")
            time.sleep(0.25)

    @staticmethod
    def links(message: EmailMessage) -> list[str]:
        """Every http(s) link of the email's text and HTML bodies."""
        found: list[str] = []
        for part in message.walk():
            if part.get_content_type() in ("text/plain", "text/html"):
                text = part.get_content()
                found += re.findall(r"https?://[^\s\"'<>]+", text)
        return found


# --- the booking wizard --------------------------------------------------------------


def wizard_step(page: Page, number: int, *, moved_to: bool = True) -> None:
    """The wizard shows step ``number``; ``moved_to`` (by "Continuar" or "Atrás"): its
    heading has the focus, as the app promises to keyboard and screen-reader users."""
    heading = page.get_by_role("heading", name=re.compile(rf"^Paso {number} de 3:"))
    expect(heading).to_be_visible()
    if moved_to:
        expect(heading).to_be_focused()


def choose_treatment(page: Page, name: str) -> None:
    """Step 1's radio for the treatment (its name is "<name> <n> min")."""
    page.get_by_role("radio", name=re.compile(rf"^{re.escape(name)} \d+ min$")).check()


def time_choices(page: Page) -> Locator:
    """Step 2's radios: one per free start of the chosen day, named by its time."""
    return page.get_by_role("group", name=re.compile(r"^Horarios del ")).get_by_role("radio")


def choose_time(page: Page, index: int = 0) -> tuple[str, str]:
    """Check the ``index``-th free time of the chosen day; its start (ISO, as the API
    gave it) and the time the page shows for it."""
    choice = time_choices(page).nth(index)
    choice.check()
    start = choice.get_attribute("value")
    assert start is not None
    label = choice.locator("xpath=ancestor::label[1]").inner_text().strip()
    return start, label


def a_week_ahead(page: Page) -> None:
    """Step 2: the next week, past the tenant's change window (24 h), so the booking can
    still be moved and cancelled online."""
    page.get_by_role("button", name="Semana siguiente").click()
    expect(time_choices(page).first).to_be_visible()


def clinic_time(start: str, time_zone: str) -> datetime:
    return datetime.fromisoformat(start).astimezone(ZoneInfo(time_zone))


def shown_time_pattern(start: str, time_zone: str) -> re.Pattern[str]:
    """How the app writes the start's wall time in the clinic's zone (es-EC: a 12-hour
    clock, "09:30 a. m."), matched loosely on the separators ICU puts in."""
    wall = clinic_time(start, time_zone)
    hour = wall.hour % 12 or 12
    period = "a" if wall.hour < 12 else "p"
    return re.compile(rf"\b{hour:02d}:{wall.minute:02d}\s*{period}\.?\s*m\.?", re.IGNORECASE)

"""What the browser tests do again and again: sign in through the managed login, wait
for the app to settle, run axe-core on a page, change the stored session, move by
keyboard. (The wizard's steps: ``wizard.py``; the sent emails: ``outbox.py``.)

Locators are by role and accessible name (Playwright's advice, and the app's
accessibility contract): the names are the app's Spanish texts (``web/src/lib/i18n``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from devstack.outputs import DemoUser
from tests.e2e.conftest import Devstack

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
# What the issue asks: no serious or critical violation on any page.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

SignIn = Callable[..., Page]

SIGN_OUT = re.compile(r"^(Cerrar sesión|Sign out)$")
EMAIL_LABEL = re.compile(r"^(Correo electrónico|Email)$")
PASSWORD_LABEL = re.compile(r"^(Contraseña|Password)$")
SUBMIT = re.compile(r"^(Iniciar sesión|Sign in)$")


def credentials(devstack: Devstack, who: DemoUser | tuple[str, str] | str) -> tuple[str, str]:
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


def on_sign_in_page(page: Page, login_url: str) -> None:
    """On the managed login's page (``login_url``: the target's, see ``target.py``)."""
    login = login_url.rstrip("/")
    page.wait_for_url(lambda url: url.startswith(f"{login}/login"))
    expect(page.get_by_label(PASSWORD_LABEL)).to_be_visible()


def wait_until_signed_in(page: Page, web_url: str) -> None:
    """Back in the app from ``/callback``, with the signed-in header shown."""
    page.wait_for_url(lambda url: url.startswith(web_url) and "/callback" not in url)
    expect(page.get_by_role("button", name=SIGN_OUT)).to_be_visible()


def sign_in_as(page: Page, login_url: str, web_url: str, who: tuple[str, str], path: str = "/") -> Page:
    """Open ``path`` signed out, sign in as ``who`` (email, password) on the managed
    login's page, come back to it (``/`` sends a signed-in user to their role's start page)."""
    email_address, password = who
    page.goto(f"{web_url}{path}")
    if path == "/":
        page.get_by_role("main").get_by_role("button", name=SUBMIT).click()
    on_sign_in_page(page, login_url)
    fill_sign_in_form(page, email_address, password)
    wait_until_signed_in(page, web_url)
    if path != "/":
        expect(page).to_have_url(f"{web_url}{path}")
    return page


# --- axe-core ----------------------------------------------------------------------


@cache
def _axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `npm ci` in web/ (axe-core is one of its devDependencies)")
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


def settled(page: Page) -> None:
    """No page navigation in progress and nothing of the page still loading."""
    expect(page.get_by_role("progressbar")).to_have_count(0)
    expect(page.locator("main .loading")).to_have_count(0)


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violation once the page has settled."""
    settled(page)
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


# --- the stored session (oidc-client-ts keeps the signed-in user in sessionStorage) --

PATCH_STORED_USER = """
(patch) => {
  const key = Object.keys(sessionStorage).find((name) => name.startsWith('oidc.user:'));
  if (!key) throw new Error('no signed-in user in sessionStorage');
  const user = JSON.parse(sessionStorage.getItem(key));
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete user[name];
    else user[name] = value;
  }
  sessionStorage.setItem(key, JSON.stringify(user));
  return user;
}
"""


def patch_stored_user(page: Page, **fields: Any) -> dict[str, Any]:
    """Change the signed-in user oidc-client-ts stored (a ``None`` value removes the
    field); the stored user as it is now."""
    stored: dict[str, Any] = page.evaluate(PATCH_STORED_USER, fields)
    return stored


# --- the keyboard --------------------------------------------------------------------

TAB_LIMIT = 60


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until ``target`` has the focus (as a keyboard user moves), or fail."""
    for _ in range(TAB_LIMIT):
        if target.evaluate("(element) => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"{TAB_LIMIT} presses of Tab never reached {target}")

"""What the browser suite drives: the devstack, or a deployed stack named by the
pipeline's variables (docs/DEPLOYMENT.md, "Testing a deployed stack").

With ``BOOKING_WEB_URL`` set, no devstack starts: the app at that address, its API and
managed login as its ``/config.json`` names them, and the test user of
``bookingctl test-user`` (``BOOKING_TEST_USER_*``, ``BOOKING_TEST_TENANT``). Tests that
need more (the outbox, other demo users, ``local tick``) are marked ``devstack``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import requests
from playwright.sync_api import Page

from tests.e2e.conftest import Api, Devstack

WEB_URL_VARIABLE = "BOOKING_WEB_URL"
USER_VARIABLES = ("BOOKING_TEST_USER_EMAIL", "BOOKING_TEST_USER_PASSWORD")
ROLE_VARIABLE = "BOOKING_TEST_USER_ROLE"
TENANT_VARIABLE = "BOOKING_TEST_TENANT"
# The suite's unmarked tests are a patient's: another role cannot take them.
TARGET_ROLE = "Patient"
CONFIG_TIMEOUT_SECONDS = 30


class TargetMisconfigured(Exception):
    """The variables name a deployed stack the suite cannot use (the message says why)."""


@dataclass(frozen=True)
class Target:
    """The app's address, its API, where its managed login lives, and the patient the
    unmarked tests sign in as (with that patient's clinic)."""

    web_url: str
    login_url: str
    api: Api
    patient: tuple[str, str]
    tenant_id: str
    deployed: bool

    @classmethod
    def of_devstack(cls, devstack: Devstack) -> Target:
        user = devstack.user(TARGET_ROLE)
        return cls(
            web_url=devstack.outputs.web_url.rstrip("/"),
            login_url=devstack.outputs.sign_in_url.rstrip("/"),
            api=devstack.api,
            patient=(user.email, user.password),
            tenant_id=user.tenant_id,
            deployed=False,
        )

    @classmethod
    def of_environment(cls, environ: Mapping[str, str]) -> Target | None:
        """The deployed stack the variables name; ``None`` without ``BOOKING_WEB_URL``."""
        web_url = environ.get(WEB_URL_VARIABLE, "").strip().rstrip("/")
        if not web_url:
            return None
        missing = [name for name in (*USER_VARIABLES, TENANT_VARIABLE) if not environ.get(name)]
        if missing:
            raise TargetMisconfigured(
                f"{WEB_URL_VARIABLE} is set but {', '.join(missing)} not: "
                "`bookingctl test-user create` prints them"
            )
        role = environ.get(ROLE_VARIABLE, TARGET_ROLE)
        if role != TARGET_ROLE:
            raise TargetMisconfigured(
                f"{ROLE_VARIABLE}={role}: the suite's stack-independent tests are a {TARGET_ROLE}'s "
                f"(`bookingctl test-user create --role {TARGET_ROLE}`)"
            )
        config = _app_config(web_url)
        return cls(
            web_url=web_url,
            login_url=str(config["signInDomain"]).rstrip("/"),
            api=Api(str(config["apiUrl"]).rstrip("/")),
            patient=(environ[USER_VARIABLES[0]], environ[USER_VARIABLES[1]]),
            tenant_id=environ[TENANT_VARIABLE],
            deployed=True,
        )


def _app_config(web_url: str) -> dict[str, object]:
    """The stack's ``/config.json``: where its API and managed login are."""
    url = f"{web_url}/config.json"
    try:
        response = requests.get(url, timeout=CONFIG_TIMEOUT_SECONDS)
        response.raise_for_status()
        config = response.json()
    except (requests.RequestException, ValueError) as error:
        raise TargetMisconfigured(f"{url}: {error}") from error
    if not isinstance(config, dict) or not {"apiUrl", "signInDomain"} <= config.keys():
        raise TargetMisconfigured(f"{url} names no apiUrl and signInDomain")
    return config


STORED_ID_TOKEN = """
() => {
  const key = Object.keys(sessionStorage).find((name) => name.startsWith('oidc.user:'));
  return key ? JSON.parse(sessionStorage.getItem(key)).id_token ?? null : null;
}
"""


def token_of(page: Page) -> str:
    """The ID token the signed-in page sends to the API (oidc-client-ts keeps it in
    sessionStorage): the test's API calls act as the same user, on any stack."""
    token = page.evaluate(STORED_ID_TOKEN)
    assert isinstance(token, str), f"no signed-in user in {page.url}'s sessionStorage"
    return token

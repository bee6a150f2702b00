"""``bookingctl smoke``: does a deployed stack (or the devstack) answer as it should?

The checks, free of any command-line library (``commands/smoke.py`` gives them Typer's
options and Rich's progress). Everything is read from the stack's outputs: ``siteUrl``
(the API is ``<siteUrl>/api``, as the app calls it) and ``apiUrl`` (the API's own
address), found with ``pulumi stack output --json`` (the boundary ``bookingctl tenant``
uses) or, with ``--devstack``, the devstack's typed outputs. Whether the stack refuses
calls straight to the API is its configuration's ``cdn.refuseDirectApiCalls``.

Checks, in order: health through the site; a sign-in (the devstack's demo Patient; on a
deployed stack a user made for the run, signed in with SRP and removed after, or
``--token``); an authenticated catalog read (``GET /professionals``); a bad token
refused (401); and, where the stack refuses direct calls, a request straight to the API
origin refused (403 ``ORIGIN_REFUSED``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

import requests
from booking.handlers.origin import REFUSED_CODE

TIMEOUT_SECONDS = 30
# A token of the right shape whose signature cannot verify.
BAD_TOKEN = "eyJhbGciOiJSUzI1NiIsImtpZCI6InNtb2tlIn0.eyJzdWIiOiJzbW9rZSJ9.c21va2U"  # noqa: S105

# Yields an ID token for the run's user and removes whatever it made for it afterwards.
SignIn = Callable[[], AbstractContextManager[str]]


class SmokeFailed(AssertionError):
    """A check's answer was not the expected one; the message says what came back."""


@dataclass(frozen=True)
class SmokeTarget:
    description: str
    site_api: str  # <siteUrl>/api
    origin_api: str  # the API's own address (apiUrl)
    refuses_direct_calls: bool
    sign_in: SignIn


@dataclass
class Run:
    """One smoke run: its HTTP session, the token once signed in, what to undo at the end."""

    target: SmokeTarget
    session: requests.Session
    exits: ExitStack
    token: str | None = None

    def get(self, url: str, token: str | None = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.session.get(url, headers=headers, timeout=TIMEOUT_SECONDS)


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[Run], str]  # what it saw; raises SmokeFailed


def _expect(response: requests.Response, status: int, what: str) -> None:
    if response.status_code != status:
        raise SmokeFailed(f"{what}: expected {status}, got {response.status_code}: {response.text[:300]}")


def _health(run: Run) -> str:
    response = run.get(f"{run.target.site_api}/health")
    _expect(response, 200, "GET /api/health")
    return f"health: ok (version {response.json().get('version')})"


def _sign_in(run: Run) -> str:
    from botocore.exceptions import BotoCoreError, ClientError

    from bookingctl.smoke_user import SmokeUserError

    try:
        run.token = run.exits.enter_context(run.target.sign_in())
    except (SmokeUserError, ClientError, BotoCoreError) as error:
        raise SmokeFailed(f"sign-in: {error}") from error
    return "sign-in: an ID token"


def _catalog(run: Run) -> str:
    if run.token is None:
        raise SmokeFailed("catalog read: no token (the sign-in failed)")
    response = run.get(f"{run.target.site_api}/professionals", run.token)
    _expect(response, 200, "GET /api/professionals (signed in)")
    items = response.json().get("items")
    if not isinstance(items, list):
        raise SmokeFailed(f"GET /api/professionals: no items list in {response.text[:300]}")
    return f"catalog read: {len(items)} professional(s)"


def _bad_token(run: Run) -> str:
    _expect(run.get(f"{run.target.site_api}/professionals", BAD_TOKEN), 401, "a bad token")
    return "bad token: refused (401)"


def _origin_refused(run: Run) -> str:
    url = f"{run.target.origin_api}/health"
    response = run.get(url)
    _expect(response, 403, f"GET {url} (straight to the API origin)")
    code = (response.json().get("error") or {}).get("code")
    if code != REFUSED_CODE:
        raise SmokeFailed(f"the API origin refused with {code!r}, not {REFUSED_CODE}")
    return "API origin: a direct request is refused (403 ORIGIN_REFUSED)"


def checks(target: SmokeTarget) -> list[Check]:
    """The checks of ``target``, in order."""
    listed = [
        Check("health", _health),
        Check("sign-in", _sign_in),
        Check("catalog read", _catalog),
        Check("bad token refused", _bad_token),
    ]
    if target.refuses_direct_calls:
        listed.append(Check("API origin refused", _origin_refused))
    return listed


def refuses_direct_calls(stack: str) -> bool:
    """The stack configuration's ``cdn.refuseDirectApiCalls``."""
    from engine.stack_file import read_stack_config
    from stacks.config import validate_stack_config

    values, _ = read_stack_config(stack)
    return validate_stack_config(values).cdn.refuse_direct_api_calls


def devstack_target(stack: str, outputs: Any) -> SmokeTarget:
    """The devstack whose typed outputs are ``outputs``; its demo Patient signs in."""
    from devstack.access import sign_in

    @contextmanager
    def patient() -> Iterator[str]:
        user = outputs.demo_user_with_role("Patient")
        yield sign_in(outputs, user.email, user.password).id_token

    return SmokeTarget(
        description=f"the devstack of stack {stack}",
        site_api=f"{outputs.web_url.rstrip('/')}/api",
        origin_api=outputs.api_url.rstrip("/"),
        refuses_direct_calls=refuses_direct_calls(stack),
        sign_in=patient,
    )


def deployed_sign_in(outputs: Mapping[str, Any], token: str | None, session: Any = None) -> SignIn:
    """A deployed stack's sign-in: ``token`` when given (``--token``, e.g. the browser
    suite's user), else a user made for the run and removed after (``smoke_user``)."""

    @contextmanager
    def signed_in() -> Iterator[str]:
        if token:
            yield token
            return
        from bookingctl.smoke_user import temporary_user

        if session is None:
            import boto3

            chosen = boto3.session.Session(region_name=outputs.get("region"))
        else:
            chosen = session
        with temporary_user(outputs, chosen) as made:
            yield made

    return signed_in


def deployed_target(stack: str, outputs: Mapping[str, Any], sign_in: SignIn) -> SmokeTarget:
    """The deployed ``stack`` from its ``pulumi stack output``."""
    site, api = outputs.get("siteUrl"), outputs.get("apiUrl")
    if not site or not api:
        raise SmokeFailed(f"stack {stack} exports no siteUrl/apiUrl")
    return SmokeTarget(
        description=f"stack {stack} ({site})",
        site_api=f"{str(site).rstrip('/')}/api",
        origin_api=str(api).rstrip("/"),
        refuses_direct_calls=refuses_direct_calls(stack),
        sign_in=sign_in,
    )

"""Only requests that came through the distribution reach an operation (issue 11).

The functions' shared middleware compares the origin header with the origin secret's
accepted values (current and previous) before any caller, body or route is looked at.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from booking import bootstrap
from booking.domain.roles import Role
from booking.handlers.origin import ORIGIN_HEADER, REFUSED_CODE

CURRENT, PREVIOUS = "current-secret-value", "previous-secret-value"


@dataclass
class FakeOriginSecrets:
    values: frozenset[str] = frozenset({CURRENT, PREVIOUS})
    reads: list[str] = field(default_factory=list)

    def accepted(self) -> frozenset[str]:
        self.reads.append("read")
        return self.values


@pytest.fixture
def secrets(world):
    fake = FakeOriginSecrets()
    with bootstrap.overridden(origin_secrets=fake):
        yield fake


def test_a_request_without_the_origin_header_is_refused_with_the_error_envelope(api, secrets):
    answer = api.call("GET", "/health", role=None)

    assert answer.status == 403
    assert answer.code == REFUSED_CODE
    assert answer.body["error"]["requestId"] == answer.headers["x-request-id"]
    assert secrets.reads


@pytest.mark.parametrize("value", ["", "wrong", CURRENT + "x", CURRENT[:-1], CURRENT.upper()])
def test_any_other_value_of_the_header_is_refused(api, secrets, value):
    assert api.call("GET", "/health", role=None, headers={ORIGIN_HEADER: value}).status == 403


@pytest.mark.parametrize("value", [CURRENT, PREVIOUS], ids=["current", "previous (mid-rotation)"])
def test_the_current_and_the_previous_value_are_served(api, secrets, value):
    answer = api.call("GET", "/health", role=None, headers={ORIGIN_HEADER: value})
    assert answer.status == 200, answer.body
    answer = api.call("GET", "/professionals", headers={ORIGIN_HEADER: value})
    assert answer.status == 200, answer.body


def test_the_refusal_comes_before_the_caller_the_role_and_the_body(api, secrets):
    # Each of these is its own error once through the check (401, 403 ROLE_NOT_ALLOWED, 422).
    no_caller = api.call("POST", "/bookings", role=None, body={"nonsense": True})
    wrong_role = api.call("DELETE", "/treatments/{id}", role=Role.PATIENT, path_parameters={"id": "x"})
    bad_body = api.call("POST", "/bookings", body={"nonsense": True})
    assert [no_caller.code, wrong_role.code, bad_body.code] == [REFUSED_CODE] * 3
    through = {ORIGIN_HEADER: CURRENT}
    assert (
        api.call(
            "DELETE", "/treatments/{id}", role=Role.PATIENT, path_parameters={"id": "x"}, headers=through
        ).code
        == "ROLE_NOT_ALLOWED"
    )
    assert api.call("POST", "/bookings", body={"nonsense": True}, headers=through).status in {400, 422}


def test_an_unknown_path_is_refused_not_answered_404(secrets):
    from booking.routes import find_route

    from tests.lambdas.events import http_event
    from tests.lambdas.handlers.conftest import invoke

    event = http_event(find_route("GET", "/health"))
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/no-such-route"
    assert invoke(event, "catalogs").code == REFUSED_CODE


def test_a_stack_without_an_origin_secret_answers_direct_calls(api, world):
    # dev: ORIGIN_SECRET_ARN is empty, so the function has no origin secrets at all.
    assert bootstrap.adapters("catalogs").origin_secrets is None
    assert api.call("GET", "/health", role=None).status == 200


def test_a_secret_that_cannot_be_read_fails_closed_with_a_logged_500(api, world):
    class Unreadable:
        def accepted(self) -> frozenset[str]:
            raise RuntimeError("AccessDeniedException: not allowed to read the origin secret")

    with bootstrap.overridden(origin_secrets=Unreadable()):
        answer = api.call("GET", "/health", role=None, headers={ORIGIN_HEADER: CURRENT})
    assert answer.status == 500
    assert answer.code == "INTERNAL"

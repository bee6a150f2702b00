"""The HTTP edge: who is calling, unknown routes, unexpected failures, logs and metrics."""

from __future__ import annotations

import importlib
import io
import json
import os

import pytest
from booking import bootstrap
from booking.domain.errors import Forbidden, Unauthorized
from booking.domain.roles import Role
from booking.handlers.claims import parse_groups, principal_from_event
from booking.routes import find_route

from tests.factories import TENANT, principal
from tests.lambdas.events import claims, http_event
from tests.lambdas.handlers.conftest import HANDLER_MODULES, invoke


@pytest.mark.parametrize(
    ("raw", "groups"),
    [
        (["Admin", "Patient"], ["Admin", "Patient"]),
        ("[Admin Patient]", ["Admin", "Patient"]),
        ("[Reception]", ["Reception"]),
        ("Owner", ["Owner"]),
        ('["Dentist", "Patient"]', ["Dentist", "Patient"]),
        ("[]", []),
        (None, []),
    ],
)
def test_cognito_groups_are_read_as_a_list_or_the_authorizers_string(raw, groups):
    assert parse_groups(raw) == groups


def test_the_strongest_group_is_the_callers_role():
    event = {"requestContext": {"authorizer": {"jwt": {"claims": claims("[Patient Admin]", TENANT, "u1")}}}}
    caller = principal_from_event(event)
    assert (caller.role, caller.tenant_id, caller.user_id) == (Role.ADMIN, TENANT, "u1")


def test_missing_claims_are_401_and_a_token_without_tenant_or_role_is_403(api):
    with pytest.raises(Unauthorized):
        principal_from_event({"requestContext": {}})
    with pytest.raises(Forbidden):
        principal_from_event(
            {"requestContext": {"authorizer": {"jwt": {"claims": claims("Admin", None, "u")}}}}
        )
    with pytest.raises(Forbidden):
        principal_from_event(
            {"requestContext": {"authorizer": {"jwt": {"claims": claims("[Hacker]", TENANT, "u")}}}}
        )
    answer = invoke(http_event(find_route("GET", "/tenant")), "catalogs")
    assert (answer.status, answer.code) == (401, "UNAUTHORIZED")


def test_health_is_public_and_answers_with_a_request_id_and_the_release(api):
    answer = api.call("GET", "/health", role=None)
    assert answer.status == 200
    assert answer.body["status"] == "ok"
    # The release the stack gave the function (tests/lambdas/conftest.py), never a guess.
    assert answer.body["version"] == os.environ["APP_VERSION"] == "0.0.0-test"
    assert answer.headers["x-request-id"].startswith("req-")


def test_a_named_stage_prefix_in_the_raw_path_is_understood(api):
    event = http_event(
        find_route("GET", "/tenant"),
        token_claims=claims("Owner", TENANT, principal(Role.OWNER).user_id),
        stage="dev",
    )
    assert invoke(event, "catalogs").status == 200


def test_a_path_no_route_declares_is_a_404_envelope(api):
    event = http_event(find_route("GET", "/tenant"), token_claims=claims("Owner", TENANT, "o"))
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/nowhere"
    answer = invoke(event, "catalogs")
    assert (answer.status, answer.code) == (404, "ROUTE_NOT_FOUND")
    assert answer.headers["x-request-id"] == event["requestContext"]["requestId"]


@pytest.fixture
def logs():
    """What the functions' Powertools loggers write (their stream is bound at import)."""
    buffer = io.StringIO()
    handlers = [
        importlib.import_module(module).function.logger.registered_handler
        for module in HANDLER_MODULES.values()
    ]
    previous = [handler.setStream(buffer) for handler in handlers]
    yield buffer
    for handler, stream in zip(handlers, previous, strict=True):
        handler.setStream(stream)


def test_an_unexpected_failure_is_a_logged_500_envelope_without_details(api, world, logs):
    class Broken:
        def __getattr__(self, name):
            raise RuntimeError("disk on fire")

    with bootstrap.overridden(catalog=Broken(), bookings=Broken(), users=Broken()):
        answer = api.call("GET", "/professionals")
    assert (answer.status, answer.code) == (500, "INTERNAL")
    assert "disk on fire" not in json.dumps(answer.body)
    assert "disk on fire" in logs.getvalue()  # logged with its traceback


def _log_lines(text: str) -> list[dict]:
    lines = []
    for line in text.splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            continue
    return lines


def test_logs_are_json_with_the_request_id_and_tenant(api, logs):
    answer = api.call("PATCH", "/tenant", role=Role.ADMIN, body={"name": "x"})
    assert answer.status == 403
    records = [line for line in _log_lines(logs.getvalue()) if line.get("message") == "refused"]
    assert records
    assert records[-1]["tenant_id"] == TENANT
    assert records[-1]["correlation_id"] == answer.headers["x-request-id"]
    assert records[-1]["request_id"] == answer.headers["x-request-id"]
    assert records[-1]["code"] == "ROLE_NOT_ALLOWED"


def _metrics(text: str) -> dict[str, float]:
    emitted: dict[str, float] = {}
    for line in _log_lines(text):
        for directive in line.get("_aws", {}).get("CloudWatchMetrics", []):
            for metric in directive["Metrics"]:
                emitted[metric["Name"]] = emitted.get(metric["Name"], 0) + sum(line[metric["Name"]])
    return emitted


def test_bookings_emit_created_conflict_and_cancelled_metrics(api, capsys):
    slot = {"professionalId": "pro1", "treatmentId": "cleaning", "start": "2026-03-03T11:00:00+01:00"}
    created = api.call("POST", "/bookings", role=Role.PATIENT, body=slot, headers={"idempotency-key": "m1"})
    assert created.status == 201
    assert _metrics(capsys.readouterr().out) == {"BookingsCreated": 1}
    clash = api.call("POST", "/bookings", role=Role.PATIENT, body=slot, headers={"idempotency-key": "m2"})
    assert clash.status == 409
    assert _metrics(capsys.readouterr().out) == {"BookingConflicts": 1}
    path = {"id": created.body["id"]}
    assert api.call("DELETE", "/bookings/{id}", role=Role.PATIENT, path_parameters=path).status == 200
    assert _metrics(capsys.readouterr().out) == {"BookingsCancelled": 1}


def test_a_function_with_an_invalid_environment_fails_on_its_first_request(api, monkeypatch):
    from pydantic import ValidationError

    monkeypatch.setenv("TABLE_NAME", "")
    bootstrap.reset()
    try:
        with pytest.raises(ValidationError):
            api.call("GET", "/tenant")
    finally:
        monkeypatch.undo()
        bootstrap.reset()
    assert api.call("GET", "/tenant").status == 200

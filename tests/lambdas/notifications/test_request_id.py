"""One request id end to end: the id a client sees in ``x-request-id`` is written with
the booking, travels through the stream, and every log line the notifications function
writes for that change carries it — the email it sent included."""

from __future__ import annotations

import importlib
import io
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from booking.adapters import dynamodb_items as items
from booking.domain.models import TimeRange, WeeklySchedule
from booking.domain.roles import Role
from booking.handlers.notifications import logger
from booking.routes import find_route

from tests.lambdas.events import LambdaContext as HttpContext
from tests.lambdas.events import claims, http_event
from tests.lambdas.notifications.mail import sent_messages
from tests.lambdas.notifications.runtime import TABLE, Aws, invoke
from tests.lambdas.notifications.streams import record
from tests.notification_support import PATIENT_ID, START, TENANT_ID, make_booking, make_professional


@pytest.fixture
def log_lines() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """The function's JSON log lines, read from its Powertools handler's stream."""
    stream = io.StringIO()
    previous = logger.registered_handler.setStream(stream)

    def read() -> list[dict[str, Any]]:
        lines = [json.loads(line) for line in stream.getvalue().splitlines() if line.startswith("{")]
        stream.seek(0)
        stream.truncate()
        return [line for line in lines if "level" in line]

    yield read
    logger.registered_handler.setStream(previous)


EVERY_DAY = WeeklySchedule(
    **{
        day: [TimeRange(start="08:00", end="18:00")]
        for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
    }
)


def create_booking_over_http() -> tuple[str, str]:
    """POST /bookings as the patient through the bookings handler; (request id, booking id)."""
    route = find_route("POST", "/bookings")
    event = http_event(
        route,
        token_claims=claims(Role.PATIENT, TENANT_ID, PATIENT_ID, email="ana@example.com"),
        body={"professionalId": "pro-1", "treatmentId": "trt-1", "start": START.isoformat()},
        headers={"idempotency-key": "k-1"},
    )
    handler = importlib.import_module("booking.handlers.bookings").handler
    response = handler(event, HttpContext())
    assert response["statusCode"] == 201, response["body"]
    return response["headers"]["x-request-id"], json.loads(response["body"])["id"]


def test_the_request_id_a_client_sees_is_on_every_notification_line_for_that_booking(
    aws: Aws, function: Any, log_lines: Callable[[], list[dict[str, Any]]]
) -> None:
    professional = make_professional(
        email="lucia@clinica.example", working_hours=EVERY_DAY, treatment_ids=["trt-1"]
    )
    function.put_item(TableName=TABLE, Item=items.professional_item(professional))
    request_id, booking_id = create_booking_over_http()
    stored = function.get_item(TableName=TABLE, Key=items.booking_key(TENANT_ID, booking_id))["Item"]
    assert stored["requestId"] == {"S": request_id}
    log_lines()

    assert invoke({"Records": [record("INSERT", 1, new=stored)]}) == {"batchItemFailures": []}

    about_booking = [line for line in log_lines() if line.get("booking_id") == booking_id]
    # (The adapters' child loggers join this handler's under the function's one service
    # name; in this process they may have been created under another, so are not read.)
    assert {line["message"] for line in about_booking} >= {"Email handled", "Booking change handled"}
    assert {line.get("request_id") for line in about_booking} == {request_id}
    emails = [line for line in about_booking if line["message"] == "Email handled"]
    assert sorted(line["audience"] for line in emails) == ["patient", "professional"]
    assert all(line["message_id"] for line in emails)
    assert {str(mime["X-Booking-Request-Id"]) for _, mime in sent_messages()} == {request_id}


def test_a_record_without_a_request_id_does_not_inherit_the_previous_ones(
    aws: Aws, function: Any, log_lines: Callable[[], list[dict[str, Any]]]
) -> None:
    with_id = dict(items.booking_item(make_booking()), requestId={"S": "req-first"})
    without = dict(items.booking_item(make_booking(id="b-2")))
    log_lines()
    invoke({"Records": [record("INSERT", 1, new=with_id), record("INSERT", 2, new=without)]})
    lines = log_lines()
    assert {line.get("request_id") for line in lines if line.get("booking_id") == "b-1"} == {"req-first"}
    assert {line.get("request_id") for line in lines if line.get("booking_id") == "b-2"} == {None}

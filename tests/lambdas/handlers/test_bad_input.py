"""Bad input is a 4xx with a stable code in the error envelope, never a 500."""

from __future__ import annotations

import base64

import pytest
from booking.domain.models import TimeOff
from booking.domain.roles import Role
from booking.routes import find_route

from tests.factories import TENANT, principal
from tests.lambdas.events import claims, http_event
from tests.lambdas.handlers.conftest import invoke

SLOT = {"professionalId": "pro1", "treatmentId": "cleaning", "start": "2026-03-03T11:00:00+01:00"}


def create_booking(api, body=None, key="k1", raw_body=None, role=Role.PATIENT):
    headers = {"idempotency-key": key} if key else {}
    return api.call("POST", "/bookings", role=role, body=body, raw_body=raw_body, headers=headers)


def assert_error(answer, status: int, code: str):
    assert (answer.status, answer.code) == (status, code), answer.body
    assert answer.body["error"]["requestId"] == answer.headers["x-request-id"]
    assert answer.body["error"]["message"]


@pytest.mark.parametrize("raw", ["{", "{'single': 'quotes'}", "not json", '{"a": 1,}'])
def test_malformed_json_is_400(api, raw):
    assert_error(create_booking(api, raw_body=raw), 400, "MALFORMED_JSON")


def test_a_base64_body_that_is_not_utf8_json_is_400(api):
    event = http_event(
        find_route("POST", "/bookings"),
        token_claims=claims(Role.PATIENT, TENANT, "patient-1"),
        raw_body=base64.b64encode(b"\xff\xfe").decode(),
        headers={"idempotency-key": "k"},
    )
    event["isBase64Encoded"] = True
    assert_error(invoke(event, "bookings"), 400, "MALFORMED_JSON")


def test_a_base64_encoded_json_body_is_decoded(api):
    event = http_event(
        find_route("POST", "/treatments"),
        token_claims=claims(Role.OWNER, TENANT, principal(Role.OWNER).user_id),
        raw_body=base64.b64encode(b'{"name": "Polish", "durationMinutes": 15}').decode(),
    )
    event["isBase64Encoded"] = True
    assert invoke(event, "catalogs").status == 201


@pytest.mark.parametrize(
    ("body", "field", "kind"),
    [
        ({**SLOT, "start": [2026, 3, 3]}, "start", "datetime_type"),
        ({**SLOT, "start": "2026-02-30T10:00:00+01:00"}, "start", "datetime_from_date_parsing"),
        ({**SLOT, "start": "2026-03-03T11:00:00"}, "start", "timezone_aware"),
        ({**SLOT, "professionalId": ["pro1"]}, "professionalId", "string_type"),
        ({**SLOT, "colour": "blue"}, "colour", "extra_forbidden"),
        ({"treatmentId": "cleaning", "start": SLOT["start"]}, "professionalId", "missing"),
    ],
)
def test_wrong_types_impossible_dates_and_unknown_fields_are_422_naming_the_field(api, body, field, kind):
    answer = create_booking(api, body)
    assert_error(answer, 422, "VALIDATION_ERROR")
    assert {(item["field"], item["type"]) for item in answer.body["error"]["details"]} >= {(field, kind)}


def test_a_body_that_is_not_an_object_is_422(api):
    assert_error(create_booking(api, [SLOT]), 422, "VALIDATION_ERROR")


@pytest.mark.parametrize(
    ("start", "status", "code"),
    [
        ("2026-03-03T11:05:00+01:00", 422, "OFF_SLOT_GRID"),
        ("2026-03-01T11:00:00+01:00", 422, "START_IN_PAST"),
        ("2026-03-02T07:15:00+01:00", 422, "MINIMUM_NOTICE"),
        ("2026-09-01T11:00:00+02:00", 422, "BEYOND_HORIZON"),
        ("2026-03-03T19:00:00+01:00", 422, "OUTSIDE_WORKING_HOURS"),
        ("2026-03-03T10:15:00+01:00", 409, "SLOT_TAKEN"),
    ],
)
def test_starts_that_cannot_be_booked_have_their_own_codes(api, start, status, code):
    assert_error(create_booking(api, {**SLOT, "start": start}), status, code)


def test_a_start_in_the_professionals_time_off_is_422(api, world):
    professional = world.catalog.get_professional(TENANT, "pro1")
    off = TimeOff.model_validate({"start": "2026-03-04T08:00:00+01:00", "end": "2026-03-04T20:00:00+01:00"})
    world.catalog.put_professional(professional.model_copy(update={"time_off": [off]}))
    assert_error(create_booking(api, {**SLOT, "start": "2026-03-04T11:00:00+01:00"}), 422, "TIME_OFF")


def test_a_treatment_the_professional_does_not_perform_is_422(api):
    assert_error(create_booking(api, {**SLOT, "treatmentId": "unused"}), 422, "TREATMENT_NOT_PERFORMED")


def test_idempotency_key_missing_is_400_and_reused_with_another_body_is_409(api, world):
    assert_error(create_booking(api, SLOT, key=None), 400, "IDEMPOTENCY_KEY_REQUIRED")
    first = create_booking(api, SLOT, key="same")
    replay = create_booking(api, SLOT, key="same")
    assert (first.status, replay.status) == (201, 201)
    assert replay.body == first.body
    assert replay.headers["idempotent-replayed"] == "true"
    assert_error(
        create_booking(api, {**SLOT, "start": "2026-03-03T12:00:00+01:00"}, key="same"),
        409,
        "IDEMPOTENCY_KEY_REUSED",
    )
    assert len(world.bookings.bookings) == 2  # the seeded one and this one


@pytest.mark.parametrize(
    ("query", "code"),
    [
        (
            {"professionalId": "pro1", "treatmentId": "cleaning", "from": "2026-02-30", "to": "2026-03-03"},
            "VALIDATION_ERROR",
        ),
        ({"professionalId": "pro1", "treatmentId": "cleaning", "from": "2026-03-01"}, "VALIDATION_ERROR"),
        (
            {"professionalId": "pro1", "treatmentId": "cleaning", "from": "2026-03-01", "to": "2026-04-15"},
            "RANGE_TOO_LONG",
        ),
        (
            {"professionalId": "pro1", "treatmentId": "cleaning", "from": "2026-03-05", "to": "2026-03-01"},
            "INVALID_RANGE",
        ),
        (
            {
                "professionalId": "pro1",
                "treatmentId": "cleaning",
                "from": "2026-03-01",
                "to": "2026-03-02",
                "x": "1",
            },
            "VALIDATION_ERROR",
        ),
    ],
)
def test_bad_availability_queries_are_422(api, query, code):
    assert_error(api.call("GET", "/availability", query=query), 422, code)


def test_unknown_ids_are_404(api):
    query = {"professionalId": "ghost", "treatmentId": "cleaning", "from": "2026-03-03", "to": "2026-03-03"}
    assert_error(api.call("GET", "/availability", query=query), 404, "PROFESSIONAL_NOT_FOUND")
    assert_error(api.call("GET", "/bookings/{id}", path_parameters={"id": "ghost"}), 404, "BOOKING_NOT_FOUND")


@pytest.mark.parametrize(
    "query", [{"limit": "abc"}, {"limit": "0"}, {"status": "lost"}, {"from": "yesterday"}]
)
def test_bad_list_queries_are_422(api, query):
    assert_error(api.call("GET", "/bookings", query=query), 422, "VALIDATION_ERROR")


def test_a_route_that_takes_no_query_refuses_parameters(api):
    assert_error(api.call("GET", "/tenant", query={"debug": "1"}), 422, "VALIDATION_ERROR")


def test_patients_inside_the_change_window_get_a_clear_409(api, world, existing_booking_id):
    world.clock.current = world.clock.current.replace(hour=12)  # Monday 13:00, the booking is Tuesday 10:00
    answer = api.call(
        "DELETE", "/bookings/{id}", role=Role.PATIENT, path_parameters={"id": existing_booking_id}
    )
    assert_error(answer, 409, "CHANGE_WINDOW_CLOSED")
    assert (
        api.call(
            "DELETE", "/bookings/{id}", role=Role.RECEPTION, path_parameters={"id": existing_booking_id}
        ).status
        == 200
    )


def test_a_conflict_names_what_it_conflicts_with_in_the_details(api):
    answer = api.call("DELETE", "/treatments/{id}", path_parameters={"id": "cleaning"})
    assert_error(answer, 409, "TREATMENT_IN_USE")
    assert answer.body["error"]["details"] == [{"field": "id", "message": "pro1", "type": "performed_by"}]
    unknown = api.call("POST", "/professionals", body={"name": "Dr. X", "treatmentIds": ["nope"]})
    assert_error(unknown, 422, "UNKNOWN_TREATMENT")
    assert unknown.body["error"]["details"][0]["message"] == "nope"

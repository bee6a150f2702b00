"""The whole booking flow over HTTP, for each role, against the running devstack."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import (
    Api,
    Devstack,
    availability_window,
    create_booking,
    find_bookable,
    idempotency_key,
    same_instant,
)

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("devstack")]


def _browse_catalog(api: Api, token: str) -> None:
    professionals = api.get("/professionals", token)
    treatments = api.get("/treatments", token)

    assert professionals.status_code == 200, professionals.text
    assert treatments.status_code == 200, treatments.text
    assert professionals.json()["items"], "the seeded tenant lists professionals"
    assert treatments.json()["items"], "the seeded tenant lists treatments"
    first = professionals.json()["items"][0]
    assert api.get(f"/professionals/{first['id']}", token).json()["id"] == first["id"]


def _book_list_reschedule_cancel(api: Api, token: str, patient_id: str, *, on_behalf: bool) -> None:
    bookable = find_bookable(api, token)
    start, later = bookable.slots[0]["start"], bookable.slots[-1]["start"]
    body = bookable.request(0, patientId=patient_id) if on_behalf else bookable.request(0)
    booking = create_booking(api, token, body)
    assert booking["patientId"] == patient_id
    assert booking["status"] == "confirmed"
    assert same_instant(booking["start"], start)

    window = availability_window(bookable.time_zone)
    listed = api.get(
        "/bookings",
        token,
        params={"from": f"{window['from']}T00:00:00+00:00", "to": f"{window['to']}T23:59:59+00:00"},
    )
    assert listed.status_code == 200, listed.text
    assert booking["id"] in {item["id"] for item in listed.json()["items"]}

    moved = api.request("PUT", f"/bookings/{booking['id']}", token, json={"start": later})
    assert moved.status_code == 200, moved.text
    assert same_instant(moved.json()["start"], later)
    still_free = api.get(
        "/availability",
        token,
        params={"professionalId": bookable.professional_id, "treatmentId": bookable.treatment_id} | window,
    ).json()["slots"]
    assert any(same_instant(slot["start"], start) for slot in still_free), "the old slot is free again"

    cancelled = api.request("DELETE", f"/bookings/{booking['id']}", token, json={"reason": "e2e"})
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert api.get(f"/bookings/{booking['id']}", token).json()["status"] == "cancelled"


def test_a_patient_browses_books_lists_reschedules_and_cancels_their_own_booking(devstack: Devstack):
    token = devstack.token("Patient")

    _browse_catalog(devstack.api, token)
    _book_list_reschedule_cancel(devstack.api, token, devstack.user_id("Patient"), on_behalf=False)


def test_a_patient_lists_only_their_own_bookings(devstack: Devstack):
    mine = devstack.api.get("/bookings", devstack.token("Patient"))

    assert mine.status_code == 200, mine.text
    assert {item["patientId"] for item in mine.json()["items"]} <= {devstack.user_id("Patient")}


@pytest.mark.parametrize("role", ["Reception", "Admin", "Owner"])
def test_staff_book_for_a_patient_and_list_reschedule_and_cancel(devstack: Devstack, role: str):
    token = devstack.token(role)

    _browse_catalog(devstack.api, token)
    _book_list_reschedule_cancel(devstack.api, token, devstack.user_id("Patient"), on_behalf=True)


def test_a_dentist_browses_and_sees_their_own_calendar_but_cannot_book(devstack: Devstack):
    api, token = devstack.api, devstack.token("Dentist")
    dentist_id = devstack.user_id("Dentist")
    _browse_catalog(api, token)
    own = [
        item["id"]
        for item in api.get("/professionals", token).json()["items"]
        if item.get("userId") == dentist_id
    ]
    assert own, "the seed links a professional to the Dentist demo user"
    bookable = find_bookable(api, token, professional_id=own[0], minimum_slots=1)
    body = bookable.request(0, patientId=devstack.user_id("Patient"))

    refused = api.request("POST", "/bookings", token, json=body, headers=idempotency_key())
    booked = api.request(
        "POST", "/bookings", devstack.token("Reception"), json=body, headers=idempotency_key()
    )
    calendar = api.get("/bookings", token)

    assert refused.status_code == 403, refused.text
    assert refused.json()["error"]["code"]
    assert booked.status_code == 201, booked.text
    assert calendar.status_code == 200, calendar.text
    assert booked.json()["id"] in {item["id"] for item in calendar.json()["items"]}
    assert {item["professionalId"] for item in calendar.json()["items"]} <= set(own)
    assert api.request("DELETE", f"/bookings/{booked.json()['id']}", token).status_code == 403


def test_the_same_idempotency_key_replays_the_first_answer(devstack: Devstack):
    api, token = devstack.api, devstack.token("Reception")
    body = find_bookable(api, token).request(0, patientId=devstack.user_id("Patient"))
    key = idempotency_key()

    first = api.request("POST", "/bookings", token, json=body, headers=key)
    again = api.request("POST", "/bookings", token, json=body, headers=key)

    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    api.request("DELETE", f"/bookings/{first.json()['id']}", token)

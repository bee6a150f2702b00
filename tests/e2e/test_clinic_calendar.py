"""The clinic's calendar over HTTP on the devstack: closures honoured by availability
and booking, a dentist's own time off, the patient's name on reception's calendar."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import Api, Devstack, idempotency_key

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("devstack")]

# Days past the other e2e tests' (3 to 9 days ahead), inside the 60-day booking horizon.
CLOSED_DAYS_AHEAD = 12


def slots_on(api: Api, token: str, professional_id: str, treatment_id: str, day: dt.date) -> list[str]:
    query = {
        "professionalId": professional_id,
        "treatmentId": treatment_id,
        "from": day.isoformat(),
        "to": day.isoformat(),
    }
    answer = api.get("/availability", token, params=query)
    assert answer.status_code == 200, answer.text
    return [slot["start"] for slot in answer.json()["slots"]]


def a_working_day(api: Api, token: str, ahead: int) -> tuple[str, str, dt.date, list[str], ZoneInfo]:
    """A professional, a treatment and a day at least ``ahead`` days away with free slots."""
    zone = ZoneInfo(api.get("/tenant", token).json()["timeZone"])
    professional = api.get("/professionals/dr-ana-torres", token).json()
    treatment = professional["treatmentIds"][0]
    for offset in range(ahead, ahead + 7):
        day = dt.datetime.now(zone).date() + dt.timedelta(days=offset)
        slots = slots_on(api, token, professional["id"], treatment, day)
        if len(slots) > 2:
            return professional["id"], treatment, day, slots, zone
    pytest.fail("no working day with free slots")


def whole_day(day: dt.date, zone: ZoneInfo) -> dict[str, str]:
    start = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
    return {
        "start": start.isoformat(),
        "end": (start + dt.timedelta(days=1)).isoformat(),
        "reason": "e2e holiday",
    }


def test_a_closure_is_honoured_by_availability_and_refused_by_booking(devstack: Devstack):
    api, admin, patient = devstack.api, devstack.token("Admin"), devstack.token("Patient")
    professional, treatment, day, slots, zone = a_working_day(api, patient, CLOSED_DAYS_AHEAD)

    closure = api.request("POST", "/closures", admin, json=whole_day(day, zone))
    assert closure.status_code == 201, closure.text
    try:
        closed = slots_on(api, patient, professional, treatment, day)
        body = {"professionalId": professional, "treatmentId": treatment, "start": slots[0]}
        refused = api.request("POST", "/bookings", patient, json=body, headers=idempotency_key())
        listed = api.get("/closures", patient).json()["items"]
        not_by_reception = api.request(
            "POST", "/closures", devstack.token("Reception"), json=whole_day(day, zone)
        )
    finally:
        deleted = api.request("DELETE", f"/closures/{closure.json()['id']}", admin)

    assert closed == []
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "CLINIC_CLOSED")
    assert closure.json()["id"] in {item["id"] for item in listed}
    assert not_by_reception.status_code == 403
    assert deleted.status_code == 204
    assert slots_on(api, patient, professional, treatment, day) == slots


def test_a_closure_over_a_booking_is_refused_with_the_booking(devstack: Devstack):
    api, reception = devstack.api, devstack.token("Reception")
    professional, treatment, day, slots, zone = a_working_day(api, reception, CLOSED_DAYS_AHEAD + 7)
    body = {
        "professionalId": professional,
        "treatmentId": treatment,
        "start": slots[1],
        "patientId": devstack.user_id("Patient"),
    }
    booking = api.request("POST", "/bookings", reception, json=body, headers=idempotency_key()).json()

    refused = api.request("POST", "/closures", devstack.token("Owner"), json=whole_day(day, zone))
    api.request("DELETE", f"/bookings/{booking['id']}", reception)

    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "CLOSURE_OVERLAPS_BOOKINGS")
    assert booking["id"] in {detail["message"] for detail in refused.json()["error"]["details"]}


def test_the_patients_name_is_on_reception_and_the_dentists_calendar(devstack: Devstack):
    api, reception = devstack.api, devstack.token("Reception")
    professional, treatment, day, slots, _ = a_working_day(api, reception, CLOSED_DAYS_AHEAD + 14)
    patient = api.get("/me", devstack.token("Patient")).json()
    body = {
        "professionalId": professional,
        "treatmentId": treatment,
        "start": slots[0],
        "patientId": patient["id"],
    }
    booking = api.request("POST", "/bookings", reception, json=body, headers=idempotency_key()).json()
    window = {
        "from": f"{day.isoformat()}T00:00:00+00:00",
        "to": f"{(day + dt.timedelta(days=1)).isoformat()}T23:59:59+00:00",
    }
    try:
        desk = api.get("/bookings", reception, params=window).json()["items"]
        dentist = api.get("/bookings", devstack.token("Dentist"), params=window).json()["items"]
    finally:
        api.request("DELETE", f"/bookings/{booking['id']}", reception)

    assert booking["patientName"] == patient["name"]
    for calendar in (desk, dentist):
        (item,) = [item for item in calendar if item["id"] == booking["id"]]
        assert (item["patientName"], item["patientPhone"]) == (patient["name"], patient.get("phone"))


def test_a_dentist_blocks_and_unblocks_their_own_time_only(devstack: Devstack):
    api, dentist = devstack.api, devstack.token("Dentist")
    professional, treatment, day, slots, zone = a_working_day(api, dentist, CLOSED_DAYS_AHEAD + 21)
    own = api.get(f"/professionals/{professional}", dentist).json()
    assert own["userId"] == devstack.user_id("Dentist")

    blocked = api.request(
        "PUT", f"/professionals/{professional}/time-off", dentist, json={"timeOff": [whole_day(day, zone)]}
    )
    during = slots_on(api, dentist, professional, treatment, day)
    unblocked = api.request(
        "PUT", f"/professionals/{professional}/time-off", dentist, json={"timeOff": own["timeOff"]}
    )
    other = api.request("PUT", "/professionals/dr-luis-mora/time-off", dentist, json={"timeOff": []})

    assert blocked.status_code == 200, blocked.text
    assert during == []
    assert unblocked.status_code == 200
    assert slots_on(api, dentist, professional, treatment, day) == slots
    assert (other.status_code, other.json()["error"]["code"]) == (403, "NOT_OWN_CALENDAR")


def test_a_cancel_and_a_reschedule_sent_twice_answer_as_the_first_did(devstack: Devstack):
    api, reception = devstack.api, devstack.token("Reception")
    professional, treatment, _, slots, _ = a_working_day(api, reception, CLOSED_DAYS_AHEAD + 28)
    body = {
        "professionalId": professional,
        "treatmentId": treatment,
        "start": slots[0],
        "patientId": devstack.user_id("Patient"),
    }
    booking = api.request("POST", "/bookings", reception, json=body, headers=idempotency_key()).json()
    key = idempotency_key()

    moved = api.request(
        "PUT", f"/bookings/{booking['id']}", reception, json={"start": slots[-1]}, headers=key
    )
    again = api.request(
        "PUT", f"/bookings/{booking['id']}", reception, json={"start": slots[-1]}, headers=key
    )
    other = api.request("PUT", f"/bookings/{booking['id']}", reception, json={"start": slots[1]}, headers=key)
    cancelled = api.request("DELETE", f"/bookings/{booking['id']}", reception, json={"reason": "e2e"})
    twice = api.request("DELETE", f"/bookings/{booking['id']}", reception, json={"reason": "e2e"})

    assert (moved.status_code, again.status_code) == (200, 200)
    assert again.json() == moved.json()
    assert (other.status_code, other.json()["error"]["code"]) == (409, "IDEMPOTENCY_KEY_REUSED")
    assert (cancelled.status_code, twice.status_code) == (200, 200)
    assert twice.json() == cancelled.json()

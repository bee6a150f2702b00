"""The clinic's closures in Chromium: an admin closes a day and the patient's wizard
offers no time on it; a closure over a live appointment is refused with that
appointment listed (who, when), to move or cancel first."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.flows import assert_accessible
from tests.browser.wizard import choose_treatment, wizard_step
from tests.e2e.conftest import create_booking, find_bookable

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.devstack,  # staff roles of the demo clinic
    pytest.mark.xdist_group("browser"),
]

PROFESSIONAL, PROFESSIONAL_NAME, TREATMENT = "dr-ana-torres", "Dra. Ana Torres", "cleaning"
WIZARD_DAYS = 7  # the wizard shows a week at a time, from today


def free_starts_on(devstack, token: str, day: dt.date) -> list[str]:
    params = {
        "professionalId": PROFESSIONAL,
        "treatmentId": TREATMENT,
        "from": day.isoformat(),
        "to": day.isoformat(),
    }
    answer = devstack.api.get("/availability", token, params=params)
    assert answer.status_code == 200, answer.text
    return [slot["start"] for slot in answer.json()["slots"]]


def close_on_page(page: Page, start: str, end: str, reason: str) -> None:
    """The new-closure form, in the clinic's wall-clock time (datetime-local)."""
    page.get_by_label("Desde").fill(start)
    page.get_by_label("Hasta").fill(end)
    page.get_by_label("Motivo").fill(reason)
    page.get_by_role("button", name="Cerrar la clínica en este horario").click()


def delete_closures(devstack, reason: str) -> None:
    token = devstack.token("Admin")
    for closure in devstack.api.get("/closures", token).json()["items"]:
        if closure.get("reason") == reason:
            devstack.api.request("DELETE", f"/closures/{closure['id']}", token)


def test_a_closed_day_has_no_time_in_the_patients_wizard(new_page: NewPage, sign_in, devstack) -> None:
    token = devstack.token("Patient")
    time_zone = devstack.api.get("/tenant", token).json()["timeZone"]
    today = dt.datetime.now(ZoneInfo(time_zone)).date()
    # The last working day of the wizard's second week with free times and, so that the
    # closure is not refused, no live appointment (other tests book the first free times).
    day = next(
        candidate
        for offset in range(2 * WIZARD_DAYS - 1, WIZARD_DAYS, -1)
        if (candidate := today + dt.timedelta(days=offset)).weekday() < 5
        and free_starts_on(devstack, token, candidate)
    )
    reason = f"Feriado de prueba {day.isoformat()}"
    admin = sign_in(new_page(), "Admin", "/closures")
    try:
        assert_accessible(admin)
        close_on_page(
            admin, f"{day.isoformat()}T00:00", f"{(day + dt.timedelta(days=1)).isoformat()}T00:00", reason
        )
        expect(admin.get_by_role("status").filter(has_text="Cierre guardado.")).to_be_visible()
        expect(admin.get_by_role("cell", name=reason)).to_be_visible()
        assert free_starts_on(devstack, token, day) == []

        patient = sign_in(new_page(), "Patient", "/book")
        wizard_step(patient, 1, moved_to=False)
        choose_treatment(patient, "Limpieza dental")
        patient.get_by_role("button", name="Continuar").click()
        wizard_step(patient, 2)
        patient.get_by_label("Profesional").select_option(label=PROFESSIONAL_NAME)
        patient.get_by_role("button", name="Semana siguiente").click()
        days = patient.get_by_role("group", name="Días").get_by_role("button")
        closed = days.nth((day - today).days - WIZARD_DAYS)
        expect(closed).to_be_disabled()
        expect(closed).to_contain_text("sin horarios")

        # Deleting it from the list opens the day again.
        row = admin.get_by_role("row").filter(has_text=reason)
        row.get_by_role("button").click()
        admin.get_by_role("dialog").get_by_role("button", name="Eliminar cierre").click()
        expect(admin.get_by_role("status").filter(has_text="Cierre eliminado.")).to_be_visible()
        expect(admin.get_by_role("cell", name=reason)).to_have_count(0)
        assert free_starts_on(devstack, token, day) != []
    finally:
        delete_closures(devstack, reason)


def test_a_closure_over_an_appointment_is_refused_with_who_and_when(page: Page, sign_in, devstack) -> None:
    token = devstack.token("Patient")
    bookable = find_bookable(devstack.api, token, PROFESSIONAL)
    booking = create_booking(devstack.api, token, bookable.request(-1))
    start = dt.datetime.fromisoformat(booking["start"]).astimezone(ZoneInfo(bookable.time_zone))
    reason = f"Cierre sobre una cita {booking['id']}"
    try:
        sign_in(page, "Admin", "/closures")
        close_on_page(
            page,
            start.strftime("%Y-%m-%dT%H:%M"),
            (start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            reason,
        )
        refusal = page.get_by_role("alert").filter(has_text="Hay citas en ese horario")
        expect(refusal).to_be_visible()
        listed = refusal.get_by_role("listitem")
        expect(listed).to_have_count(1)
        expect(listed).to_contain_text(booking["patientName"])
        expect(listed.get_by_role("link").first).to_have_attribute("href", f"/appointments/{booking['id']}")
        assert_accessible(page)
        assert all(
            item.get("reason") != reason for item in devstack.api.get("/closures", token).json()["items"]
        )
    finally:
        delete_closures(devstack, reason)
        devstack.api.request("DELETE", f"/bookings/{booking['id']}", token, json={})

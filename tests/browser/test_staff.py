"""Staff in Chromium: reception books for a patient and marks a no-show; a dentist sees
only their own calendar; an admin's new treatment appears in the booking wizard."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.flows import assert_accessible
from tests.browser.past_bookings import book_in_the_past
from tests.browser.wizard import booking_id_in, choose_time, choose_treatment, clinic_time, wizard_step
from tests.e2e.conftest import create_booking, find_bookable, same_instant

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.devstack,  # staff roles of the demo clinic
    pytest.mark.xdist_group("browser"),
]


def test_reception_books_for_a_patient(page: Page, sign_in, devstack) -> None:
    api = devstack.api
    sign_in(page, "Reception", "/calendar")
    nav = page.get_by_role("navigation", name="Principal")
    expect(nav.get_by_role("link")).to_have_text(
        ["Agenda", "Reservar para un paciente", "Bloqueos de agenda", "Usuarios", "Mi perfil"]
    )
    assert_accessible(page)
    nav.get_by_role("link", name="Reservar para un paciente").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Reservar una cita para un paciente")
    wizard_step(page, 1, moved_to=False)
    page.get_by_role("button", name="Continuar").click()  # no patient yet: said, not sent
    expect(page.get_by_role("alert").filter(has_text="Elige el paciente para continuar.")).to_be_visible()
    patient = page.get_by_label("Paciente", exact=True)
    expect(patient).to_be_focused()
    # Found by the start of the name through the users search, then chosen by keyboard.
    search = page.get_by_label("Buscar paciente (inicio del nombre, correo o teléfono)")
    search.fill("pedro pac")
    search.press("Enter")  # searches at once; never submits the step
    expect(
        page.get_by_text(re.compile(r"^Pacientes encontrados: \d+\. Elige uno en la lista\.$"))
    ).to_be_visible()
    wizard_step(page, 1, moved_to=False)
    search.press("Tab")
    expect(patient).to_be_focused()
    patient.select_option(label="Pedro Paciente (patient@demo-clinic.test)")
    search.fill("nadie-empieza-asi")
    expect(page.get_by_text(re.compile(r"^Ningún paciente empieza así\."))).to_be_visible()
    expect(patient).to_have_value(devstack.user_id("Patient"))  # the choice stays while the text changes
    choose_treatment(page, "Control y diagnóstico")
    assert_accessible(page)
    page.get_by_role("button", name="Continuar").click()

    wizard_step(page, 2)
    page.get_by_label("Profesional").select_option(label="Dr. Luis Mora")
    start, _ = choose_time(page)
    page.get_by_role("button", name="Continuar").click()
    wizard_step(page, 3)
    expect(page.get_by_text("Pedro Paciente (patient@demo-clinic.test)")).to_be_visible()
    page.get_by_role("button", name="Confirmar cita").click()

    booking = api.get(f"/bookings/{booking_id_in(page)}", devstack.token("Reception")).json()
    assert booking["patientId"] == devstack.user_id("Patient")
    assert booking["createdBy"] == devstack.user_id("Reception")
    assert (booking["professionalId"], booking["treatmentId"]) == ("dr-luis-mora", "checkup")
    assert same_instant(booking["start"], start)


def test_reception_marks_a_booking_that_began_as_a_no_show(page: Page, sign_in, devstack) -> None:
    past = book_in_the_past(devstack, professional_id="dr-ana-torres", treatment_id="filling")
    time_zone = devstack.api.get("/tenant", devstack.token("Reception")).json()["timeZone"]
    day = clinic_time(past.start.isoformat(), time_zone).date().isoformat()
    sign_in(page, "Reception", f"/calendar?view=day&date={day}")

    column = page.get_by_role("region", name="Dra. Ana Torres")
    entry = column.get_by_role("listitem").filter(has=page.locator(f'a[href="/appointments/{past.id}"]'))
    expect(entry.get_by_text("Confirmada")).to_be_visible()
    assert_accessible(page)
    entry.get_by_role("button", name=re.compile(r"^Marcar como no asistió: .*Restauración \(calza\)")).click()

    expect(page.get_by_role("status").filter(has_text="Estado de la cita guardado.")).to_be_visible()
    expect(entry.get_by_text("No asistió")).to_be_visible()
    expect(entry.get_by_role("button")).to_have_count(0)  # closed: nothing left to mark
    answer = devstack.api.get(f"/bookings/{past.id}", devstack.token("Reception")).json()
    assert answer["status"] == "no_show"


def test_a_dentist_sees_only_their_own_calendar(page: Page, sign_in, devstack) -> None:
    api, token = devstack.api, devstack.token("Patient")
    mine = find_bookable(api, token, professional_id="dr-ana-torres")
    other = find_bookable(api, token, professional_id="dr-luis-mora")
    # One day on which both work: a calendar of every professional would show both.
    day_of = {
        slot["start"]: clinic_time(slot["start"], mine.time_zone).date() for slot in mine.slots + other.slots
    }
    shared = sorted(
        {day_of[slot["start"]] for slot in mine.slots} & {day_of[slot["start"]] for slot in other.slots}
    )
    assert shared, "Dra. Ana Torres and Dr. Luis Mora share no working day in the window"
    made = {}
    for name, bookable in (("mine", mine), ("other", other)):
        slot = next(index for index, slot in enumerate(bookable.slots) if day_of[slot["start"]] == shared[0])
        made[name] = create_booking(api, token, bookable.request(slot))
    day = shared[0].isoformat()
    sign_in(page, "Dentist", f"/calendar?date={day}")

    nav = page.get_by_role("navigation", name="Principal")
    expect(nav.get_by_role("link")).to_have_text(["Mi agenda", "Mis bloqueos", "Mi perfil"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Mi agenda")
    expect(page.locator(f'a[href="/appointments/{made["mine"]["id"]}"]')).to_be_visible()
    expect(page.locator(f'a[href="/appointments/{made["other"]["id"]}"]')).to_have_count(0)
    expect(page.get_by_label("Profesional")).to_have_count(0)  # no other calendar to pick
    assert_accessible(page)
    for booking in made.values():
        api.request("DELETE", f"/bookings/{booking['id']}", token, json={"reason": "prueba"})


def test_an_admins_new_treatment_is_offered_in_the_wizard(new_page, sign_in, devstack) -> None:
    name = f"Ortodoncia {uuid.uuid4().hex[:6]}"
    admin = sign_in(new_page(), "Admin", "/treatments")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Tratamientos")
    assert_accessible(admin)
    form = admin.get_by_role("form", name="Nuevo tratamiento")
    form.get_by_label("Nombre").fill(name)
    form.get_by_label("Duración (minutos)").fill("40")
    form.get_by_role("button", name="Crear tratamiento").click()
    expect(admin.get_by_role("status").filter(has_text=f"Tratamiento «{name}» creado.")).to_be_visible()
    expect(admin.get_by_role("rowheader", name=name)).to_be_visible()

    # Dr. Luis Mora offers it from now on.
    nav = admin.get_by_role("navigation", name="Principal")
    nav.get_by_role("link", name="Profesionales").click()
    assert_accessible(admin)
    admin.get_by_role("link", name="Editar: Dr. Luis Mora").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Dr. Luis Mora")
    assert_accessible(admin)
    offered = admin.get_by_role("checkbox", name=name)
    offered.check()
    expect(offered).to_be_checked()
    admin.get_by_role("button", name="Guardar profesional").click()
    expect(admin.get_by_role("status").filter(has_text="Profesional guardado.")).to_be_visible()
    expect(offered).to_be_checked()

    patient = sign_in(new_page(), "Patient", "/book")
    wizard_step(patient, 1, moved_to=False)
    choose_treatment(patient, name)
    patient.get_by_role("button", name="Continuar").click()
    wizard_step(patient, 2)
    expect(patient.get_by_label("Profesional")).to_have_value("dr-luis-mora")
    expect(patient.get_by_text(f"{name} (40 min)")).to_be_visible()
    start, _ = choose_time(patient)
    treatments = devstack.api.get("/treatments", devstack.token("Patient")).json()["items"]
    treatment_id = next(item["id"] for item in treatments if item["name"] == name)
    day = start[:10]  # the API writes starts in the clinic's offset: this is the clinic's day
    window = {"professionalId": "dr-luis-mora", "treatmentId": treatment_id, "from": day, "to": day}
    offered = devstack.api.get("/availability", devstack.token("Patient"), params=window).json()["slots"]
    assert any(same_instant(slot["start"], start) for slot in offered)

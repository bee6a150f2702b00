"""A patient in Chromium: sign in, book through the wizard, see the booking, reschedule
it and cancel it (every page checked with axe-core); a slot taken meanwhile; the link
in the confirmation email."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.flows import assert_accessible, fill_sign_in_form, on_sign_in_page, wait_until_signed_in
from tests.browser.target import Target, token_of
from tests.browser.wizard import (
    a_week_ahead,
    booking_id_in,
    choose_time,
    choose_treatment,
    shown_time_pattern,
    time_choices,
    wizard_step,
)
from tests.e2e.conftest import create_booking, find_bookable, same_instant

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]


def test_a_patient_books_sees_reschedules_and_cancels_an_appointment(
    page: Page, sign_in, target: Target, web_url
) -> None:
    sign_in(page, "Patient", "/appointments")
    api, token = target.api, token_of(page)
    clinic = api.get("/tenant", token).json()
    assert clinic["id"] == target.tenant_id
    time_zone = clinic["timeZone"]
    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Reservar cita").click()

    wizard_step(page, 1, moved_to=False)
    assert_accessible(page)
    choose_treatment(page, "Limpieza dental")
    page.get_by_role("button", name="Continuar").click()

    wizard_step(page, 2)
    page.get_by_label("Profesional").select_option(label="Dra. Ana Torres")
    a_week_ahead(page)
    assert_accessible(page)
    start, shown = choose_time(page)
    assert shown_time_pattern(start, time_zone).search(shown), shown
    page.get_by_role("button", name="Continuar").click()

    wizard_step(page, 3)
    assert_accessible(page)
    page.get_by_label("Notas para la clínica (opcional)").fill("Sensibilidad en una muela")
    page.get_by_role("button", name="Confirmar cita").click()

    # The toast first: it lasts six seconds from the answer, however long the next page takes.
    expect(page.get_by_role("status").filter(has_text="Cita reservada.")).to_be_visible()
    booking_id = booking_id_in(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tu cita")
    expect(page.get_by_text("Sensibilidad en una muela")).to_be_visible()
    expect(page.get_by_text("Confirmada")).to_be_visible()
    assert_accessible(page)
    booked = api.get(f"/bookings/{booking_id}", token).json()
    assert same_instant(booked["start"], start)
    assert (booked["treatmentId"], booked["professionalId"]) == ("cleaning", "dr-ana-torres")

    # "Mis citas" lists it among the upcoming ones; moving it reopens the wizard at step 2.
    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Mis citas").click()
    upcoming = page.get_by_role("region", name="Próximas")
    entry = upcoming.get_by_role("listitem").filter(has=page.locator(f'a[href="/appointments/{booking_id}"]'))
    expect(entry.get_by_role("link", name=re.compile(r"^Ver detalles: .*Limpieza dental$"))).to_be_visible()
    assert_accessible(page)
    entry.get_by_role("link", name=re.compile(r"^Cambiar fecha: .*Limpieza dental$")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Cambiar la fecha u hora")
    wizard_step(page, 2, moved_to=False)
    a_week_ahead(page)
    assert_accessible(page)
    new_start, _ = choose_time(page, 1)
    assert not same_instant(new_start, start)
    page.get_by_role("button", name="Continuar").click()
    wizard_step(page, 3)
    page.get_by_role("button", name="Confirmar cambio").click()

    expect(page.get_by_role("status").filter(has_text="Cita cambiada.")).to_be_visible()
    expect(page).to_have_url(f"{web_url}/appointments/{booking_id}")
    assert same_instant(api.get(f"/bookings/{booking_id}", token).json()["start"], new_start)

    # Cancelling asks first; "keep it" keeps it.
    page.get_by_role("button", name="Cancelar cita").click()
    dialog = page.get_by_role("dialog", name="¿Cancelar la cita?")
    expect(dialog).to_be_visible()
    assert_accessible(page)
    dialog.get_by_role("button", name="No, mantenerla").click()
    expect(dialog).to_be_hidden()
    assert api.get(f"/bookings/{booking_id}", token).json()["status"] == "confirmed"

    page.get_by_role("button", name="Cancelar cita").click()
    dialog.get_by_label("Motivo (opcional)").fill("Viaje")
    dialog.get_by_role("button", name="Sí, cancelar la cita").click()
    expect(page.get_by_role("status").filter(has_text="Cita cancelada.")).to_be_visible()
    expect(page.get_by_text("Cancelada", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Cancelar cita")).to_have_count(0)
    cancelled = api.get(f"/bookings/{booking_id}", token).json()
    assert (cancelled["status"], cancelled["cancellationReason"]) == ("cancelled", "Viaje")


@pytest.mark.devstack  # reception takes the slot
def test_a_slot_taken_between_two_steps_is_explained_and_the_times_refreshed(
    page: Page, sign_in, devstack
) -> None:
    api = devstack.api
    sign_in(page, "Patient", "/book")
    wizard_step(page, 1, moved_to=False)
    choose_treatment(page, "Control y diagnóstico")
    page.get_by_role("button", name="Continuar").click()
    wizard_step(page, 2)
    page.get_by_label("Profesional").select_option(label="Dra. Ana Torres")
    a_week_ahead(page)
    start, _ = choose_time(page)
    page.get_by_role("button", name="Continuar").click()
    wizard_step(page, 3)

    # Meanwhile reception gives that very time to the patient on the phone.
    body = {
        "professionalId": "dr-ana-torres",
        "treatmentId": "checkup",
        "start": start,
        "patientId": devstack.user_id("Patient"),
    }
    create_booking(api, devstack.token("Reception"), body)
    page.get_by_role("button", name="Confirmar cita").click()

    wizard_step(page, 2)
    expect(page.get_by_role("alert").filter(has_text="acaba de ser reservado")).to_be_visible()
    expect(time_choices(page).first).to_be_visible()
    expect(page.locator(f'input[type="radio"][value="{start}"]')).to_have_count(0)
    assert_accessible(page)
    other, _ = choose_time(page)
    page.get_by_role("button", name="Continuar").click()
    wizard_step(page, 3)
    page.get_by_role("button", name="Confirmar cita").click()
    booked = api.get(f"/bookings/{booking_id_in(page)}", devstack.token("Patient")).json()
    assert same_instant(booked["start"], other)


@pytest.mark.devstack  # the outbox
def test_the_confirmation_emails_link_opens_its_booking_after_sign_in(
    page: Page, devstack, outbox, web_url
) -> None:
    api, token = devstack.api, devstack.token("Patient")
    bookable = find_bookable(api, token)
    booking_id = create_booking(api, token, bookable.request(1))["id"]
    email = outbox.wait_for(booking_id, "confirmation")
    [link] = {link for link in outbox.links(email) if link.startswith(web_url)}
    assert link == f"{web_url}/appointments/{booking_id}"

    page.goto(link)  # a new browser, signed out: the managed login first
    on_sign_in_page(page, devstack.outputs.sign_in_url)
    patient = devstack.user("Patient")
    fill_sign_in_form(page, patient.email, patient.password)
    wait_until_signed_in(page, web_url)
    expect(page).to_have_url(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tu cita")
    expect(page.get_by_role("link", name="Cambiar fecha u hora")).to_be_visible()
    expect(page.get_by_role("button", name="Cancelar cita")).to_be_visible()

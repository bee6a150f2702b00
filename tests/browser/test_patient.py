"""A patient's main flow in Chromium: sign in, book through the wizard, see the
booking, reschedule it and cancel it, every page checked with axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.flows import (
    a_week_ahead,
    assert_accessible,
    choose_time,
    choose_treatment,
    shown_time_pattern,
    wizard_step,
)
from tests.e2e.conftest import same_instant

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

BOOKING_URL = re.compile(r"/appointments/([0-9a-f]{32})$")


def test_a_patient_books_sees_reschedules_and_cancels_an_appointment(
    page: Page, sign_in, devstack, web_url
) -> None:
    api, token = devstack.api, devstack.token("Patient")
    time_zone = api.get("/tenant", token).json()["timeZone"]
    sign_in(page, "Patient", "/appointments")
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

    expect(page).to_have_url(BOOKING_URL)
    booking_id = BOOKING_URL.search(page.url)[1]  # type: ignore[index]
    expect(page.get_by_role("status").filter(has_text="Cita reservada.")).to_be_visible()
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
    new_start, _ = choose_time(page, 1)
    assert not same_instant(new_start, start)
    page.get_by_role("button", name="Continuar").click()
    wizard_step(page, 3)
    page.get_by_role("button", name="Confirmar cambio").click()

    expect(page).to_have_url(f"{web_url}/appointments/{booking_id}")
    expect(page.get_by_role("status").filter(has_text="Cita cambiada.")).to_be_visible()
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

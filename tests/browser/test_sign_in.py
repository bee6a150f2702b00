"""Signing in and out through the managed login, as a person does in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.flows import PASSWORD_LABEL, assert_accessible, fill_sign_in_form, on_sign_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]


@pytest.mark.devstack  # the devstack login's own page and messages
def test_a_wrong_password_is_refused_on_the_sign_in_page(page: Page, devstack, web_url) -> None:
    patient = devstack.user("Patient")
    page.goto(f"{web_url}/appointments")
    on_sign_in_page(page, devstack.outputs.sign_in_url)
    assert_accessible(page)
    fill_sign_in_form(page, patient.email, patient.password + "x")

    expect(page.get_by_role("alert")).to_have_text("Correo o contraseña incorrectos.")
    expect(page.get_by_label(PASSWORD_LABEL)).to_have_attribute("aria-invalid", "true")
    assert not page.url.startswith(web_url)  # still at the login, no code issued
    assert_accessible(page)


def test_a_patient_signs_in_from_the_home_page_and_lands_on_their_appointments(
    page: Page, sign_in, web_url
) -> None:
    page.goto(f"{web_url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reserva y gestiona tus citas dentales")
    assert_accessible(page)

    sign_in(page, "Patient")

    expect(page).to_have_url(f"{web_url}/appointments")
    nav = page.get_by_role("navigation", name="Principal")
    expect(nav.get_by_role("link")).to_have_text(["Mis citas", "Reservar cita", "Mi perfil"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Mis citas")
    assert_accessible(page)

    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page.get_by_role("main").get_by_role("button", name="Iniciar sesión")).to_be_visible()
    page.goto(f"{web_url}/appointments")  # signed out: the app sends them to sign in again
    expect(page.get_by_label(PASSWORD_LABEL)).to_be_visible()

"""axe-core on every page of the app that the flows do not already check, as the role
that sees it, in both languages: no serious or critical violation. (The patient's
pages, the wizard's steps, the dialogs and the sign-in page are checked in their flows.)
And the wizard with the keyboard alone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.flows import assert_accessible, axe_violations, tab_to
from tests.browser.target import Target, token_of
from tests.browser.wizard import booking_id_in, time_choices, wizard_step
from tests.e2e.conftest import same_instant

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

# The owner's navigation, in order, and each page's main heading.
OWNER_PAGES = [
    ("Agenda", "Agenda de la clínica"),
    ("Reservar para un paciente", "Reservar una cita para un paciente"),
    ("Profesionales", "Profesionales"),
    ("Tratamientos", "Tratamientos"),
    ("Usuarios", "Usuarios"),
    ("Cierres", "Cierres de la clínica"),
    ("Ajustes", "Ajustes de la clínica"),
    ("Mi perfil", "Mi perfil"),
]


@pytest.mark.devstack  # the demo owner
def test_every_page_of_the_owner_is_accessible_in_both_languages(page: Page, sign_in, web_url) -> None:
    sign_in(page, "Owner", "/calendar")
    nav = page.get_by_role("navigation", name="Principal")
    expect(nav.get_by_role("link")).to_have_text([link for link, _ in OWNER_PAGES])
    for link, heading in OWNER_PAGES:
        nav.get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(nav.get_by_role("link", name=link)).to_have_attribute("aria-current", "page")
        assert_accessible(page)

    page.goto(f"{web_url}/calendar?view=week")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda de la clínica")
    assert_accessible(page)
    nav.get_by_role("link", name="Profesionales").click()
    page.get_by_role("link", name="Editar: Dra. Ana Torres").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dra. Ana Torres")
    assert_accessible(page)

    page.get_by_role("group", name="Idioma").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calendar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clinic's calendar")
    assert_accessible(page)


@pytest.mark.devstack  # the demo owner
def test_the_error_pages_are_accessible(page: Page, sign_in, web_url) -> None:
    sign_in(page, "Owner", "/calendar")
    page.goto(f"{web_url}/no-such-page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Página no encontrada")
    assert_accessible(page)

    page.goto(f"{web_url}/appointments")  # a patient's page: not for an owner
    expect(page.get_by_role("heading", level=1)).to_have_text("Sin acceso")
    expect(page.get_by_role("main").get_by_role("alert")).to_have_text(
        "Esta página no está disponible para tu rol."
    )
    assert_accessible(page)


def test_a_missing_configuration_is_explained_accessibly(page: Page, web_url) -> None:
    page.route(re.compile(r"/config\.json$"), lambda route: route.fulfill(status=404, body="Not Found"))
    page.goto(f"{web_url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("La aplicación no está configurada")
    expect(page.get_by_text("No se encontró el archivo /config.json de este entorno.")).to_be_visible()
    assert_accessible(page)


def test_the_check_reports_what_axe_core_calls_serious_or_critical(page: Page) -> None:
    """The harness itself: a page with an unlabelled input and an image without text."""
    page.set_content(
        '<html lang="es"><title>t</title><main><img src="x.png"><input type="text"></main></html>'
    )
    found = {violation["id"]: violation["impact"] for violation in axe_violations(page)}
    assert found == {"image-alt": "critical", "label": "critical"}
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


def test_a_patient_books_with_the_keyboard_alone(page: Page, sign_in, target: Target) -> None:
    sign_in(page, "Patient", "/book")
    api, token = target.api, token_of(page)
    wizard_step(page, 1, moved_to=False)
    # Radios: Tab reaches the group, arrows choose; buttons: Enter or Space.
    tab_to(page, page.get_by_role("radio").first)
    page.keyboard.press("ArrowDown")
    chosen = page.get_by_role("radio").nth(1)
    expect(chosen).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Continuar"))
    page.keyboard.press("Enter")

    wizard_step(page, 2)
    tab_to(page, page.get_by_role("button", name="Semana siguiente"))
    page.keyboard.press("Enter")
    first_time = time_choices(page).first
    expect(first_time).to_be_visible()
    tab_to(page, first_time)
    page.keyboard.press("Space")
    expect(first_time).to_be_checked()
    start = first_time.get_attribute("value")
    tab_to(page, page.get_by_role("button", name="Continuar"))
    page.keyboard.press("Enter")

    wizard_step(page, 3)
    tab_to(page, page.get_by_label("Notas para la clínica (opcional)"))
    page.keyboard.type("Reservada con el teclado")
    tab_to(page, page.get_by_role("button", name="Confirmar cita"))
    page.keyboard.press("Enter")

    booking = api.get(f"/bookings/{booking_id_in(page)}", token).json()
    assert same_instant(booking["start"], start or "")
    assert booking["notes"] == "Reservada con el teclado"
    api.request("DELETE", f"/bookings/{booking['id']}", token, json={})

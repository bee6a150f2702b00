"""A patient signs themselves up in Chromium: on ``/signup?clinic=<web address>``, with
the code the pool emailed (read from the devstack's outbox), then signs in and lands on
the patient's pages of that clinic; a clinic with sign-up off says so."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.flows import EMAIL_LABEL, assert_accessible, fill_sign_in_form, on_sign_in_page
from tests.browser.target import token_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.devstack,  # the demo owner, and the code from the outbox
    pytest.mark.xdist_group("browser"),
]

PASSWORD = "Paciente-Nueva-2026!"
CODE = re.compile(r"<strong>(\d{6})</strong>")


def _set_sign_up(devstack, enabled: bool) -> dict[str, Any]:
    """The demo clinic's Owner turns sign-up on or off (as the settings page does)."""
    answer = devstack.api.request(
        "PATCH", "/tenant", devstack.token("Owner"), json={"signUpEnabled": enabled}
    )
    assert answer.status_code == 200, answer.text
    clinic: dict[str, Any] = answer.json()
    assert clinic["signUpEnabled"] is enabled
    return clinic


@pytest.fixture
def clinic(devstack) -> Iterator[dict[str, Any]]:
    """The demo clinic as its Owner sets it; sign-up off again afterwards (its default)."""
    yield _set_sign_up(devstack, False)
    _set_sign_up(devstack, False)


def _fill_details(page: Page, web_url: str, web_address: str, address: str) -> None:
    page.goto(f"{web_url}/signup?clinic={web_address}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Crear una cuenta de paciente")
    expect(page.get_by_label("Dirección web de tu clínica")).to_have_value(web_address)
    page.get_by_label(EMAIL_LABEL).fill(address)
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Crear cuenta").click()


def test_a_new_patient_signs_up_confirms_the_emailed_code_and_signs_in(
    page: Page, devstack, clinic, outbox, web_url
) -> None:
    web_address = _set_sign_up(devstack, True)["webAddress"]
    address = f"nueva-{uuid.uuid4().hex[:8]}@example.com"
    _fill_details(page, web_url, web_address, address)

    expect(page.get_by_role("heading", name="Confirma tu correo")).to_be_visible()
    assert_accessible(page)
    found = CODE.search(str(outbox.wait_for_recipient(address).get_body(("html",)).get_content()))
    assert found is not None, "no 6-digit code in the sign-up email"
    page.get_by_label("Código de confirmación").fill(found[1])
    page.get_by_role("button", name="Confirmar").click()

    expect(page.get_by_role("heading", name="Cuenta confirmada")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("main").get_by_role("button", name="Iniciar sesión").click()
    on_sign_in_page(page, devstack.outputs.sign_in_url)
    fill_sign_in_form(page, address, PASSWORD)
    page.wait_for_url(f"{web_url}/appointments")
    nav = page.get_by_role("navigation", name="Principal")
    expect(nav.get_by_role("link")).to_have_text(["Mis citas", "Reservar cita", "Mi perfil"])
    # A patient of that clinic: the API answers the new user's token with the demo clinic.
    me = devstack.api.get("/tenant", token_of(page))
    assert me.status_code == 200, me.text
    assert me.json()["id"] == clinic["id"]


def test_a_clinic_with_sign_up_off_refuses_on_the_page(page: Page, devstack, clinic, web_url) -> None:
    address = f"cerrada-{uuid.uuid4().hex[:8]}@example.com"
    _fill_details(page, web_url, clinic["webAddress"], address)

    refusal = (
        f"La clínica «{clinic['webAddress']}» no admite registros en línea. Pide a la clínica que te invite."
    )
    expect(page.get_by_role("main").get_by_role("alert")).to_have_text(refusal)
    expect(page.get_by_role("heading", name="Confirma tu correo")).to_have_count(0)
    assert_accessible(page)

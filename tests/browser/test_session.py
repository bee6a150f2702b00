"""The session in Chromium: a deep link survives a reload, and a session that ended
(expired tokens, or a token the API refuses) goes to sign-in and back to the page."""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.flows import (
    PASSWORD_LABEL,
    fill_sign_in_form,
    on_sign_in_page,
    patch_stored_user,
    wait_until_signed_in,
)
from tests.browser.target import Target
from tests.e2e.conftest import create_booking, find_bookable

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]


def _a_booking(devstack) -> dict[str, Any]:
    api, token = devstack.api, devstack.token("Patient")
    bookable = find_bookable(api, token)
    return create_booking(api, token, bookable.request(-1))


@pytest.mark.devstack  # the booking is made before signing in, as the demo patient
def test_a_deep_link_survives_a_reload(page: Page, sign_in, devstack, web_url) -> None:
    booking = _a_booking(devstack)
    link = f"{web_url}/appointments/{booking['id']}"
    sign_in(page, "Patient", f"/appointments/{booking['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tu cita")
    expect(page.get_by_role("link", name="Cambiar fecha u hora")).to_be_visible()

    page.reload()  # the CDN answers the deep link with the app, which is still signed in
    expect(page).to_have_url(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tu cita")
    expect(page.get_by_role("link", name="Cambiar fecha u hora")).to_be_visible()
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()


def test_an_expired_session_goes_to_sign_in_and_back_to_the_page(
    page: Page, sign_in, target: Target, web_url
) -> None:
    sign_in(page, "Patient", "/appointments")
    # Both sessions ended: the managed login's (its cookie) and the app's tokens, which
    # can no longer be renewed (no refresh token) and have expired.
    page.context.clear_cookies()
    patch_stored_user(page, expires_at=int(time.time()) - 60, refresh_token=None)

    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Reservar cita").click()
    on_sign_in_page(page, target.login_url)
    fill_sign_in_form(page, *target.patient)
    wait_until_signed_in(page, web_url)
    expect(page).to_have_url(f"{web_url}/book")
    expect(page.get_by_role("heading", name="Paso 1 de 3: elige el tratamiento")).to_be_visible()


@pytest.mark.devstack  # the booking is made before signing in, as the demo patient
def test_a_token_the_api_refuses_goes_to_sign_in_and_back_to_the_page(
    page: Page, sign_in, devstack, web_url
) -> None:
    booking = _a_booking(devstack)
    sign_in(page, "Patient", "/appointments")
    page.context.clear_cookies()
    stored = patch_stored_user(page)
    header, claims, _signature = stored["id_token"].split(".")
    # Unexpired by the app's clock, but its signature is not the pool's: the API says 401.
    patch_stored_user(page, id_token=f"{header}.{claims}.{'A' * 86}")

    page.locator(f'a[href="/appointments/{booking["id"]}"]').first.click()  # "Ver detalles: …"
    on_sign_in_page(page, devstack.outputs.sign_in_url)
    expect(page.get_by_label(PASSWORD_LABEL)).to_be_empty()
    patient = devstack.user("Patient")
    fill_sign_in_form(page, patient.email, patient.password)
    wait_until_signed_in(page, web_url)
    expect(page).to_have_url(f"{web_url}/appointments/{booking['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tu cita")

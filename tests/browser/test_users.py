"""The clinic's people in Chromium: an admin disables a patient, who is refused from
their next request on, and enables them again; the last Owner cannot be disabled (the
API's message and request id shown); a patient edits their profile."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.flows import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.devstack,  # staff roles of the demo clinic
    pytest.mark.xdist_group("browser"),
]


def open_user(page: Page, email: str, name: str) -> None:
    """On /users: find the user by the start of their email, open their page."""
    page.get_by_label("Buscar por el inicio del nombre, correo o teléfono").fill(email.split("@")[0])
    page.get_by_label("Buscar en").select_option(label="Correo electrónico")
    page.get_by_role("button", name="Buscar", exact=True).click()
    page.get_by_role("link", name=f"Ver: {name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def confirm_in_dialog(page: Page, title: str, button: str) -> None:
    dialog = page.get_by_role("dialog", name=title)
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name=button).click()
    expect(dialog).to_be_hidden()


def a_new_patient(devstack, name: str) -> tuple[str, str, str]:
    """A patient invited through the API by an admin, with a permanent password set in the
    emulated pool (as if they had accepted the invitation): (id, email, password)."""
    email = f"leaver-{uuid.uuid4().hex[:10]}@demo-clinic.test"
    created = devstack.api.request(
        "POST", "/users", devstack.token("Admin"), json={"email": email, "name": name, "role": "Patient"}
    )
    assert created.status_code == 201, created.text
    password = f"Br0wser-{uuid.uuid4().hex[:10]}!"
    devstack.client("cognito-idp").admin_set_user_password(
        UserPoolId=devstack.outputs.user_pool_id, Username=email, Password=password, Permanent=True
    )
    return created.json()["id"], email, password


def test_a_disabled_patient_is_refused_at_once_and_enabled_again(
    new_page: NewPage, sign_in, devstack
) -> None:
    name = "Lucía Saliente"
    user_id, email, password = a_new_patient(devstack, name)
    patient = sign_in(new_page(), (email, password), "/appointments")
    expect(patient.get_by_role("heading", level=1)).to_have_text("Mis citas")

    admin = sign_in(new_page(), "Admin", "/users")
    assert_accessible(admin)
    open_user(admin, email, name)
    assert_accessible(admin)
    try:
        admin.get_by_role("button", name="Desactivar usuario").click()
        confirm_in_dialog(admin, f"¿Desactivar a {name}?", "Desactivar usuario")
        expect(admin.get_by_role("status").filter(has_text=f"{name} está desactivado.")).to_be_visible()
        expect(admin.get_by_text("Desactivado", exact=True)).to_be_visible()
        assert devstack.api.get(f"/users/{user_id}", devstack.token("Admin")).json()["status"] == "disabled"

        # Their ID token has not expired, yet the API refuses them on the next request.
        patient.reload()
        refusal = patient.get_by_role("alert").filter(has_text="Tu usuario está desactivado.")
        expect(refusal).to_be_visible()
        expect(refusal).to_contain_text("Referencia de la solicitud:")
        expect(patient.get_by_role("heading", level=1)).to_have_text("Acceso desactivado")
        assert_accessible(patient)

        admin.get_by_role("button", name="Reactivar usuario").click()
        confirm_in_dialog(admin, f"¿Reactivar a {name}?", "Reactivar usuario")
        expect(admin.get_by_role("status").filter(has_text=f"{name} vuelve a estar activo.")).to_be_visible()
        patient.reload()
        expect(patient.get_by_role("heading", level=1)).to_have_text("Mis citas")
    finally:
        devstack.api.request("POST", f"/users/{user_id}/enable", devstack.token("Admin"))


def test_the_last_owner_cannot_be_disabled_and_the_page_says_why(page: Page, sign_in, devstack) -> None:
    owner = devstack.user("Owner")
    owner_record = devstack.api.get("/me", devstack.token("Owner")).json()
    sign_in(page, "Owner", "/users")
    open_user(page, owner.email, owner_record["name"])
    try:
        page.get_by_role("button", name="Desactivar usuario").click()
        confirm_in_dialog(page, f"¿Desactivar a {owner_record['name']}?", "Desactivar usuario")
        refusal = page.get_by_role("alert").filter(has_text="last Owner")
        expect(refusal).to_be_visible()
        expect(refusal).to_contain_text(re.compile(r"Referencia de la solicitud: \S+"))
        assert_accessible(page)
        assert devstack.api.get("/me", devstack.token("Owner")).status_code == 200
    finally:
        devstack.api.request("POST", f"/users/{owner_record['id']}/enable", devstack.token("Owner"))


def test_a_patient_edits_their_name_and_phone(page: Page, sign_in, devstack) -> None:
    api, token = devstack.api, devstack.token("Patient")
    before = api.get("/me", token).json()
    sign_in(page, "Patient", "/appointments")
    try:
        page.get_by_role("navigation", name="Principal").get_by_role("link", name="Mi perfil").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mi perfil")
        expect(page.get_by_label("Correo electrónico")).to_have_value(before["email"])
        assert_accessible(page)
        page.get_by_label("Nombre", exact=True).fill("Pedro Paciente Pérez")
        page.get_by_label("Teléfono", exact=True).fill("+593 99 555 0101")
        page.get_by_role("button", name="Guardar mi perfil").click()
        expect(page.get_by_role("status").filter(has_text="Perfil guardado.")).to_be_visible()

        after = api.get("/me", token).json()
        assert (after["name"], after["phone"]) == ("Pedro Paciente Pérez", "+593 99 555 0101")
        page.reload()
        expect(page.get_by_label("Teléfono", exact=True)).to_have_value("+593 99 555 0101")
    finally:
        api.request("PATCH", "/me", token, json={"name": before["name"], "phone": before.get("phone")})


def test_reception_edits_a_patients_phone_from_the_user_pages(page: Page, sign_in, devstack) -> None:
    patient = devstack.user("Patient")
    user_id = devstack.user_id("Patient")
    token = devstack.token("Reception")
    before = devstack.api.get(f"/users/{user_id}", token).json()
    sign_in(page, "Reception", "/calendar")
    try:
        page.get_by_role("navigation", name="Principal").get_by_role("link", name="Usuarios").click()
        expect(page.get_by_label("Filtrar por rol")).to_have_count(0)  # reception sees patients only
        open_user(page, patient.email, before["name"])
        expect(page.get_by_label("Rol")).to_have_count(0)  # and grants no other role
        assert_accessible(page)
        page.get_by_label("Teléfono", exact=True).fill("+593 98 765 4321")
        page.get_by_role("button", name="Guardar cambios").click()
        expect(page.get_by_role("status").filter(has_text="Cambios guardados.")).to_be_visible()
        assert devstack.api.get(f"/users/{user_id}", token).json()["phone"] == "+593 98 765 4321"
    finally:
        devstack.api.request("PATCH", f"/users/{user_id}", token, json={"phone": before.get("phone")})

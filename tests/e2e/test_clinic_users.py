"""The users' lifecycle over HTTP on the devstack: a disabled user's unexpired token
refused, the last Owner protected, reception finding patients, everyone's profile."""

from __future__ import annotations

import uuid

import pytest

from devstack.access import SignInError, sign_in
from tests.e2e.conftest import Devstack

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("devstack")]


def new_patient(devstack: Devstack, name: str) -> tuple[dict, str, str]:
    """A patient reception creates over HTTP, given a password; its record, email, password."""
    email = f"patient-{uuid.uuid4().hex[:8]}@e2e.example"
    created = devstack.api.request(
        "POST", "/users", devstack.token("Reception"), json={"email": email, "name": name, "role": "Patient"}
    )
    assert created.status_code == 201, created.text
    password = f"E2e-{uuid.uuid4().hex[:12]}!"
    devstack.client("cognito-idp").admin_set_user_password(
        UserPoolId=devstack.outputs.user_pool_id, Username=email, Password=password, Permanent=True
    )
    return created.json(), email, password


def test_a_disabled_patient_is_refused_at_once_with_their_unexpired_token(devstack: Devstack):
    api, reception = devstack.api, devstack.token("Reception")
    patient, email, password = new_patient(devstack, "Dora Disabled")
    token = sign_in(devstack.outputs, email, password).id_token
    assert api.get("/me", token).json()["email"] == email

    disabled = api.request("POST", f"/users/{patient['id']}/disable", reception)
    refused = api.get("/me", token)
    booking_refused = api.get("/bookings", token)

    assert (disabled.status_code, disabled.json()["status"]) == (200, "disabled")
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "USER_DISABLED")
    assert booking_refused.status_code == 403
    with pytest.raises(SignInError):
        sign_in(devstack.outputs, email, password)

    enabled = api.request("POST", f"/users/{patient['id']}/enable", reception)
    assert (enabled.status_code, enabled.json()["status"]) == (200, "active")
    assert api.get("/me", sign_in(devstack.outputs, email, password).id_token).status_code == 200


def test_the_last_owner_can_be_neither_demoted_nor_disabled(devstack: Devstack):
    api, owner = devstack.api, devstack.token("Owner")
    owner_id = devstack.user_id("Owner")

    demoted = api.request("PATCH", f"/users/{owner_id}", owner, json={"role": "Admin"})
    disabled = api.request("POST", f"/users/{owner_id}/disable", owner)
    by_admin = api.request("POST", f"/users/{owner_id}/disable", devstack.token("Admin"))

    assert (demoted.status_code, demoted.json()["error"]["code"]) == (409, "LAST_OWNER")
    assert (disabled.status_code, disabled.json()["error"]["code"]) == (409, "LAST_OWNER")
    assert by_admin.status_code == 403
    assert api.get("/me", owner).json()["role"] == "Owner"


def test_reception_finds_a_patient_by_the_start_of_a_name_email_or_phone(devstack: Devstack):
    api, reception = devstack.api, devstack.token("Reception")
    tag = uuid.uuid4().hex[:6]
    patient, email, _ = new_patient(devstack, f"Zoë Búsqueda{tag}")
    phone = f"+593 98 {int(tag, 16) % 10**6:06d}"
    changed = api.request("PATCH", f"/users/{patient['id']}", reception, json={"phone": phone})
    assert changed.status_code == 200, changed.text

    for text in (f"zoe busqueda{tag}", email[:18].upper(), phone[:12]):
        found = api.get("/users", reception, params={"q": text})
        assert found.status_code == 200, found.text
        assert patient["id"] in {user["id"] for user in found.json()["items"]}, text
    staff = api.get("/users", reception, params={"q": "o", "by": "name"}).json()["items"]
    assert {user["role"] for user in staff} <= {"Patient"}
    assert api.get(f"/users/{devstack.user_id('Admin')}", reception).status_code == 403


@pytest.mark.parametrize("role", ["Owner", "Admin", "Dentist", "Reception", "Patient"])
def test_every_role_reads_its_own_profile(devstack: Devstack, role: str):
    me = devstack.api.get("/me", devstack.token(role))

    assert me.status_code == 200, me.text
    assert (me.json()["id"], me.json()["role"]) == (devstack.user_id(role), role)


def test_a_patient_and_reception_edit_the_patients_profile(devstack: Devstack):
    api = devstack.api
    patient, email, password = new_patient(devstack, "Pia Profile")
    token = sign_in(devstack.outputs, email, password).id_token

    own = api.request("PATCH", "/me", token, json={"phone": "+593 99 000 1234"})
    desk = api.request(
        "PATCH", f"/users/{patient['id']}", devstack.token("Reception"), json={"name": "Pía Perfil"}
    )
    role = api.request("PATCH", "/me", token, json={"role": "Owner"})

    assert (own.status_code, own.json()["phone"]) == (200, "+593 99 000 1234")
    assert (desk.status_code, desk.json()["name"], desk.json()["phone"]) == (
        200,
        "Pía Perfil",
        "+593 99 000 1234",
    )
    assert role.status_code == 422
    assert api.get("/users", token).status_code == 403

"""A new clinic on the running devstack: ``bookingctl tenant create`` brings it on board,
its Owner signs in, ``tenant disable`` refuses its users on every route, ``enable``
admits them again as they were."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

from devstack.access import sign_in
from devstack.process import environment
from tests.e2e.conftest import Devstack
from tests.outbox import html_of, mail_to

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("devstack")]


def bookingctl(devstack: Devstack, *arguments: str) -> str:
    state_dir = devstack.outputs.outbox.parent
    command = [sys.executable, "-m", "bookingctl", "tenant", *arguments]
    command += ["--stack", devstack.outputs.stack, "--devstack", "--state-dir", str(state_dir)]
    done = subprocess.run(
        command, env=environment(), capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_a_new_clinic_is_created_its_owner_signs_in_and_disabling_it_refuses_everyone(devstack: Devstack):
    tag = uuid.uuid4().hex[:8]
    email = f"owner-{tag}@new-clinic.example"
    create = ["create", "--name", f"Clínica {tag}", "--time-zone", "America/Bogota", "--owner-email", email]
    create += ["--web-address", f"clinica-{tag}", "--locale", "es-CO"]
    said = bookingctl(devstack, *create)
    (invitation,) = mail_to(devstack.outputs.outbox, email)
    password = f"E2e-{uuid.uuid4().hex[:12]}!"
    devstack.client("cognito-idp").admin_set_user_password(
        UserPoolId=devstack.outputs.user_pool_id, Username=email, Password=password, Permanent=True
    )
    token = sign_in(devstack.outputs, email, password).id_token
    api = devstack.api

    tenant = api.get("/tenant", token)
    me = api.get("/me", token)
    again = bookingctl(devstack, *create)
    bookingctl(devstack, "disable", f"clinica-{tag}")
    refused = [api.get(path, token) for path in ("/tenant", "/me", "/bookings", "/professionals")]
    demo_still_served = api.get("/tenant", devstack.token("Owner"))
    bookingctl(devstack, "enable", f"clinica-{tag}")

    assert f"invited the Owner {email} by email" in said
    # The pool's invitation, in the clinic's language and with its name (custom message).
    assert invitation["Subject"] == f"Tu acceso a Clínica {tag}"
    assert email in html_of(invitation)
    assert "nothing to change" in again
    assert (tenant.status_code, tenant.json()["webAddress"], tenant.json()["timeZone"]) == (
        200,
        f"clinica-{tag}",
        "America/Bogota",
    )
    assert (me.json()["role"], me.json()["tenantId"]) == ("Owner", f"clinica-{tag}")
    assert {(answer.status_code, answer.json()["error"]["code"]) for answer in refused} == {
        (403, "TENANT_DISABLED")
    }
    assert demo_still_served.status_code == 200
    restored = {**api.get("/tenant", token).json(), "updatedAt": None}
    assert restored == {**tenant.json(), "updatedAt": None}
    assert f"clinica-{tag}" in bookingctl(devstack, "list")

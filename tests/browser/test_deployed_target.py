"""The switch to a deployed stack, tried on the devstack: a test user made the way the
pipeline makes one (``bookingctl``'s ``test_users.create``), its variables and
``BOOKING_WEB_URL`` given to a pytest run of ``-m "not devstack"``, which must start no
devstack and act as that user (so the bookings it made are that user's)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from booking.domain.roles import Role

from bookingctl import tenants, test_users
from tests.browser.target import TARGET_ROLE, WEB_URL_VARIABLE, Target, TargetMisconfigured

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.devstack,  # it makes the test user in the devstack's pool and table
    pytest.mark.xdist_group("browser"),
]

ROOT = Path(__file__).resolve().parents[2]
# The patient's main flow and a session that ends: sign-in, the wizard, the API as the user.
SELECTED = ["tests/browser/test_patient.py", "tests/browser/test_session.py"]
RUN_TIMEOUT_SECONDS = 600


def _devstack_target(devstack) -> tenants.Target:
    outputs = devstack.outputs
    return tenants.Target(
        f"the devstack ({outputs.aws_endpoint_url})",
        outputs.table_name,
        outputs.user_pool_id,
        outputs.client("dynamodb"),
        outputs.client("cognito-idp"),
    )


def test_with_booking_web_url_the_suite_acts_as_the_test_user_on_that_stack(devstack, tmp_path) -> None:
    stack = _devstack_target(devstack)
    tenant_id = devstack.user(TARGET_ROLE).tenant_id
    user = test_users.create(
        stack, tenant_id=tenant_id, role=Role.PATIENT, label=f"browser-{uuid.uuid4().hex[:8]}"
    )
    try:
        environment = {
            **os.environ,
            **user.environment(),
            WEB_URL_VARIABLE: devstack.outputs.web_url,
        }
        run = subprocess.run(
            [
                *(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", "--setup-show"),
                *("-m", "not devstack", f"--basetemp={tmp_path / 'run'}", *SELECTED),
            ],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_SECONDS,
        )
        said = run.stdout[-6000:] + run.stderr[-2000:]
        assert run.returncode == 0, said
        assert "2 passed" in run.stdout, said
        setups = [line.split()[-1] for line in run.stdout.splitlines() if line.strip().startswith("SETUP")]
        assert "target" in setups, said
        assert "devstack" not in setups, said

        # What the run booked, cancelled, is the test user's: it signed in as them.
        token = devstack.sign_in(user.email, user.password)
        mine = devstack.api.get("/bookings", token).json()["items"]
        assert [(booking["status"], booking.get("cancellationReason")) for booking in mine] == [
            ("cancelled", "Viaje")
        ]
    finally:
        test_users.remove(stack, user.email)


def test_a_deployed_target_needs_the_test_user_and_a_patient(devstack) -> None:
    web_url = devstack.outputs.web_url
    with pytest.raises(TargetMisconfigured, match="BOOKING_TEST_USER_PASSWORD"):
        Target.of_environment({WEB_URL_VARIABLE: web_url, "BOOKING_TEST_USER_EMAIL": "a@b.c"})
    complete = {
        WEB_URL_VARIABLE: web_url,
        "BOOKING_TEST_USER_EMAIL": "a@b.c",
        "BOOKING_TEST_USER_PASSWORD": "x",
        "BOOKING_TEST_TENANT": "demo-clinic",
    }
    with pytest.raises(TargetMisconfigured, match="BOOKING_TEST_USER_ROLE=Owner"):
        Target.of_environment({**complete, "BOOKING_TEST_USER_ROLE": "Owner"})
    # The API and the managed login come from the stack's own /config.json.
    found = Target.of_environment(complete)
    assert found is not None
    assert found.login_url == devstack.outputs.sign_in_url.rstrip("/")
    tenant = found.api.get("/tenant", devstack.token(TARGET_ROLE))
    assert tenant.status_code == 200, tenant.text
    assert tenant.json()["id"] == devstack.user(TARGET_ROLE).tenant_id
    assert Target.of_environment({}) is None

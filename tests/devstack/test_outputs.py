"""The devstack's state directory and its one model of ``outputs.json``."""

import json

import pytest

from devstack.access import NotADemoUser, sign_in
from devstack.outputs import NotEmulated, OutputsNotFound, read_outputs
from devstack.state import StateDir
from tests.devstack.fakes import demo_user, devstack_outputs

PATIENT = demo_user("Patient", email="Patient@Demo-Clinic.test")


def _outputs(state: StateDir):
    return devstack_outputs(
        demo_users=(PATIENT,),
        outbox=state.outbox.resolve(),
        stack_outputs={"apiUrl": "http://127.0.0.1:8080"},
        not_emulated=(NotEmulated(type="aws:wafv2/webAcl:WebAcl", name="edge", reason="no CDN here"),),
        not_emulated_invokes=("aws:ec2/getVpc:getVpc",),
    )


def test_a_fresh_state_dir_forgets_the_previous_run(tmp_path):
    state = StateDir(tmp_path / ".devstack")
    state.outbox.mkdir(parents=True)
    (state.outbox / "old.eml").write_text("old")
    state.outputs.write_text("{}")

    state.fresh()

    assert list(state.root.iterdir()) == [state.outbox]
    assert list(state.outbox.iterdir()) == []


def test_outputs_are_written_with_the_documented_camel_case_names_and_read_back_the_same(tmp_path):
    state = StateDir(tmp_path).fresh()
    outputs = _outputs(state)

    path = outputs.save(state)

    written = json.loads(path.read_text())
    assert list(written) == [
        "stack",
        "apiUrl",
        "webUrl",
        "signInUrl",
        "awsEndpointUrl",
        "region",
        "userPoolId",
        "userPoolClientId",
        "tableName",
        "demoUsers",
        "outbox",
        "stackOutputs",
        "notEmulated",
        "notEmulatedInvokes",
    ]
    assert written["demoUsers"] == [
        {
            "email": "Patient@Demo-Clinic.test",
            "password": "p",
            "role": "Patient",
            "tenantId": "demo-clinic",
            "userId": "sub-patient",
        }
    ]
    assert read_outputs(state) == outputs
    assert sorted(path.parent.iterdir()) == sorted([state.outbox, path])  # no partial file left


def test_without_outputs_the_reader_says_to_start_the_devstack(tmp_path):
    with pytest.raises(OutputsNotFound, match=r"start the devstack first \(bookingctl local up\)"):
        read_outputs(StateDir(tmp_path))


def test_demo_users_are_found_by_email_whatever_its_case_and_by_role(tmp_path):
    outputs = _outputs(StateDir(tmp_path))

    assert outputs.demo_user("patient@demo-clinic.test") == PATIENT
    assert outputs.demo_user("who@else.test") is None
    assert outputs.demo_user_with_role("Patient") == PATIENT
    with pytest.raises(LookupError):
        outputs.demo_user_with_role("Owner")


def test_signing_in_without_a_password_names_the_demo_users_when_the_email_is_not_one(tmp_path):
    with pytest.raises(NotADemoUser, match=r"Patient@Demo-Clinic\.test"):
        sign_in(_outputs(StateDir(tmp_path)), "who@else.test")

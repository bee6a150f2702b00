"""A prd-shaped devstack answers only its distribution (issue 11), over HTTP; and
``bookingctl smoke`` checks it (issue 12).

``bookingctl local up --stack prd`` in its own process: the gateway's own address
refuses every request (public, signed-in, with a forged header) before any handler
logic, with the error envelope; the same requests through the emulated distribution,
which adds the origin secret's header the program declared, are served.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from booking.contract import ORIGIN_HEADER

from bookingctl.cli import main
from bookingctl.smoke_user import SMOKE_TENANT
from devstack.access import credential_variables, sign_in
from devstack.outputs import DevstackOutputs
from devstack.process import DevstackFailed, DevstackProcess
from tests.devstack.test_seed_command import fake_pulumi

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("devstack-origin")]

TIMEOUT = 60
REFUSED = "ORIGIN_REFUSED"


@pytest.fixture(scope="module")
def process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevstackProcess]:
    workdir: Path = tmp_path_factory.mktemp("prd-devstack")
    with DevstackProcess(workdir, stack="prd") as running:
        try:
            running.wait_until_serving(240)
        except DevstackFailed as failure:
            pytest.fail(str(failure))
        yield running


@pytest.fixture(scope="module")
def prd(process: DevstackProcess) -> DevstackOutputs:
    outputs = process.written_outputs()
    assert outputs is not None
    return outputs


@pytest.fixture(scope="module")
def token(prd: DevstackOutputs) -> str:
    owner = prd.demo_user_with_role("Owner")
    return sign_in(prd, owner.email, owner.password).id_token


def _direct(prd: DevstackOutputs, path: str, **kwargs: object) -> requests.Response:
    return requests.get(f"{prd.api_url}{path}", timeout=TIMEOUT, **kwargs)  # type: ignore[arg-type]


def _through(prd: DevstackOutputs, path: str, **kwargs: object) -> requests.Response:
    return requests.get(f"{prd.web_url}/api{path}", timeout=TIMEOUT, **kwargs)  # type: ignore[arg-type]


def _refused(response: requests.Response) -> None:
    assert response.status_code == 403, response.text
    error = response.json()["error"]
    assert error["code"] == REFUSED
    assert error["requestId"] == response.headers["x-request-id"]


def test_health_is_refused_at_the_gateway_and_served_through_the_distribution(prd):
    _refused(_direct(prd, "/health"))
    served = _through(prd, "/health")
    assert served.status_code == 200, served.text
    assert served.json()["status"] == "ok"


def test_a_signed_in_catalog_read_is_served_only_through_the_distribution(prd, token):
    bearer = {"Authorization": f"Bearer {token}"}
    _refused(_direct(prd, "/professionals", headers=bearer))
    served = _through(prd, "/professionals", headers=bearer)
    assert served.status_code == 200, served.text
    assert served.json()["items"]


def test_a_forged_origin_header_is_refused_and_a_viewers_own_is_replaced(prd, token):
    forged = {ORIGIN_HEADER: "guessed", "Authorization": f"Bearer {token}"}
    _refused(_direct(prd, "/professionals", headers=forged))
    # The distribution puts its own value over whatever the viewer sent.
    assert _through(prd, "/professionals", headers=forged).status_code == 200


def test_the_header_the_distribution_sends_is_the_secrets_current_value(prd):
    secrets = prd.client("secretsmanager")
    (secret,) = [
        entry for entry in secrets.list_secrets()["SecretList"] if entry["Name"].endswith("/origin-verify")
    ]
    current = secrets.get_secret_value(SecretId=secret["ARN"])["SecretString"]
    answered = _direct(prd, "/health", headers={ORIGIN_HEADER: current})
    assert answered.status_code == 200, answered.text


def test_bookingctl_smoke_passes_on_the_prd_devstack(process, capsys):
    code = main(["smoke", "--stack", "prd", "--devstack", "--state-dir", str(process.state.root)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "all 5 checks passed" in captured.out
    assert "API origin refused" in captured.out


def _deployed_outputs(prd: DevstackOutputs, **changes: str) -> dict[str, str]:
    """What ``pulumi stack output --json`` of the deployed stack would say."""
    exported = {
        key: prd.stack_outputs[key] for key in ("userPoolId", "userPoolClientId", "tableName", "region")
    }
    return {**exported, "siteUrl": prd.web_url, "apiUrl": prd.api_url, **changes}


def _aim_boto3_at(prd: DevstackOutputs, monkeypatch: pytest.MonkeyPatch) -> None:
    """boto3's usual configuration (what a deployed stack's smoke uses), aimed at the emulator."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", prd.aws_endpoint_url)
    for name, value in credential_variables().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("SMOKE_ID_TOKEN", raising=False)


def test_bookingctl_smoke_of_a_deployed_stack_signs_in_a_user_made_for_the_run(
    prd, monkeypatch, tmp_path, capsys
):
    calls = fake_pulumi(monkeypatch, tmp_path, _deployed_outputs(prd))
    _aim_boto3_at(prd, monkeypatch)
    code = main(["smoke", "--stack", "prd"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "all 5 checks passed" in captured.out
    assert "stack output --json --stack prd" in calls.read_text()
    # The run's user is gone from the pool and the table.
    users = prd.client("cognito-idp").list_users(UserPoolId=prd.user_pool_id)["Users"]
    assert not [user for user in users if user["Username"].startswith("smoke-")]
    assert not [user for user in users if "bookingctl.invalid" in str(user["Attributes"])]
    items = prd.client("dynamodb").scan(TableName=prd.table_name)["Items"]
    assert not [item for item in items if SMOKE_TENANT in str(item)]


def test_bookingctl_smoke_fails_a_stack_that_answers_at_its_origin(prd, token, monkeypatch, tmp_path, capsys):
    # The "API origin" is the site's own /api, which answers: the origin check must fail.
    fake_pulumi(monkeypatch, tmp_path, _deployed_outputs(prd, apiUrl=f"{prd.web_url}/api"))
    _aim_boto3_at(prd, monkeypatch)
    code = main(["smoke", "--stack", "prd", "--token", token])
    captured = capsys.readouterr()
    assert code == 1
    assert "FAILED API origin refused" in captured.err
    assert "expected 403, got 200" in captured.err
    assert "1 of 5 checks failed" in captured.out


def test_bookingctl_smoke_without_a_devstack_of_that_stack_exits_2(process, capsys):
    assert main(["smoke", "--stack", "qas", "--devstack", "--state-dir", str(process.state.root)]) == 2
    assert "runs stack prd, not qas" in capsys.readouterr().err

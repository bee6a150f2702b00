"""A prd-shaped devstack answers only its distribution (issue 11), over HTTP.

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

from devstack.access import sign_in
from devstack.outputs import DevstackOutputs
from devstack.process import DevstackFailed, DevstackProcess

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("devstack-origin")]

TIMEOUT = 60
REFUSED = "ORIGIN_REFUSED"


@pytest.fixture(scope="module")
def prd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevstackOutputs]:
    workdir: Path = tmp_path_factory.mktemp("prd-devstack")
    with DevstackProcess(workdir, stack="prd") as process:
        try:
            yield process.wait_until_serving(240)
        except DevstackFailed as failure:
            pytest.fail(str(failure))


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

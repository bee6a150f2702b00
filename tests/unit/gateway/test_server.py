"""The gateway over real HTTP in front of real worker processes."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from devstack.gateway.serving import GatewayServer, start_gateway
from tests.unit.gateway.conftest import EmulatedPool
from tests.unit.gateway.inventory_factory import standard_program


@pytest.fixture(scope="module")
def server(emulated_pool: EmulatedPool) -> Iterator[GatewayServer]:
    program = standard_program(
        issuer=emulated_pool.issuer, audiences=[emulated_pool.client_id], stage_name="v1"
    )
    with start_gateway(
        program.inventory(), endpoint_url=emulated_pool.endpoint_url, port=0, max_workers_per_function=2
    ) as running:
        yield running.server


def test_the_stage_is_served_under_its_name_over_http(server, emulated_pool):
    response = requests.get(
        f"{server.url}/items/42", headers={"Authorization": f"Bearer {emulated_pool.id_token}"}, timeout=30
    )

    assert server.url.endswith("/v1")
    assert response.status_code == 200
    body = response.json()
    assert body["event"]["pathParameters"] == {"id": "42"}
    assert body["event"]["rawPath"] == "/v1/items/42"
    assert body["event"]["requestContext"]["stage"] == "v1"
    assert body["environment"]["ECHO_SETTING"] == "echo-value"


def test_a_crashing_function_is_a_502_and_the_gateway_keeps_serving(server):
    assert requests.get(f"{server.url}/crash", timeout=30).status_code == 502
    assert requests.get(f"{server.url}/health", timeout=30).status_code == 200


def test_a_function_past_its_timeout_is_a_502(server):
    response = requests.get(f"{server.url}/slow", timeout=30)

    assert response.status_code == 502
    assert response.json() == {"message": "Internal Server Error"}


def test_concurrent_requests_are_served_by_the_functions_pool(server):
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: requests.get(f"{server.url}/health", timeout=30), range(24)))

    assert [answer.status_code for answer in answers] == [200] * 24
    # At most the pool's two containers served them.
    assert len({answer.json()["pid"] for answer in answers}) <= 2

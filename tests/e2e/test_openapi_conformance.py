"""schemathesis drives the published OpenAPI document against the devstack: no
answer is a 5xx and every documented response matches its schema."""

from __future__ import annotations

import time
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.e2e.conftest import ROOT, Devstack

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("devstack")]

OPENAPI = ROOT / "docs" / "openapi.json"


@pytest.fixture
def api_schema(devstack: Devstack) -> Any:
    return schemathesis.openapi.from_path(str(OPENAPI))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_no_operation_answers_5xx_and_responses_match_the_document(case: Any, devstack: Devstack):
    # A throttled answer is retried like any client does; what is checked is the answer.
    for _attempt in range(20):
        response = case.call(
            base_url=devstack.api.base_url, headers={"Authorization": f"Bearer {devstack.token('Admin')}"}
        )
        if response.status_code != 429:
            break
        time.sleep(0.2)
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

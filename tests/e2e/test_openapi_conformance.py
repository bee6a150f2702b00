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

# The document is generated from routes.py and the models (``bookingctl openapi``)
# and committed; the devstack's URL is only known at run time, so it is given per call.
schema = schemathesis.openapi.from_path(str(ROOT / "docs" / "openapi.json"))


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_operation_answers_5xx_and_responses_match_the_document(case: Any, devstack: Devstack) -> None:
    # The Admin of the demo tenant: every route but PATCH /tenant, so generated
    # requests cannot change the tenant's policy under the other e2e tests.
    headers = {"Authorization": f"Bearer {devstack.token('Admin')}"}
    for _attempt in range(30):
        response = case.call(base_url=devstack.api.base_url, headers=headers)
        if response.status_code != 429:
            break
        time.sleep(0.2)  # throttled: retry as any client does; the answer is what is checked
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

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
# The coverage phase (hundreds of boundary cases per operation) is left to the
# handler-level fuzzing of the lambdas' tests; here the random phase keeps the run short.
schema = schemathesis.openapi.from_path(
    str(ROOT / "docs" / "openapi.json"),
    config=schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}}),
)

# What API Gateway answers by itself, before or instead of a function: its own body
# shape, which an HTTP API cannot customise (unlike a REST API's gateway responses).
GATEWAY_ANSWERS = {
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    429: "Too Many Requests",
    502: "Internal Server Error",
}


def _answered_by_the_gateway(response: Any) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    return bool(body == {"message": GATEWAY_ANSWERS.get(response.status_code)})


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
    if _answered_by_the_gateway(response):
        # e.g. schemathesis sending no or a broken token: API Gateway's 401, not the
        # functions' error envelope, so the document's schema does not apply.
        case.validate_response(response, checks=[not_a_server_error])
    else:
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

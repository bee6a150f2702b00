"""The origin secret: made in every stack, sent by the distribution to the API, checked by
the API's functions where the stack refuses direct calls (qas, prd; dev answers them)."""

from __future__ import annotations

import pytest
from booking.contract import FUNCTIONS, ORIGIN_HEADER

from tests.infra.conftest import only, policy_statements

SECRET = "aws:secretsmanager/secret:Secret"
VERSION = "aws:secretsmanager/secretVersion:SecretVersion"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
FUNCTION = "aws:lambda/function:Function"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
API_FUNCTIONS = sorted(key for key, spec in FUNCTIONS.items() if spec.behind_api)

pytestmark = pytest.mark.xdist_group("infra-program")


def _api_origin(inventory):
    (origin,) = [o for o in only(inventory, DISTRIBUTION).inputs["origins"] if o.get("customOriginConfig")]
    return origin


def test_the_distribution_sends_the_secrets_current_value_to_the_api_only(inventory):
    secret = only(inventory, SECRET)
    version = only(inventory, VERSION)
    assert secret.inputs["name"] == f"booking-{inventory.stack}/origin-verify"
    assert version.inputs["secretId"] == secret.id
    stored = version.inputs["secretString"]
    assert len(stored) == 64
    assert stored.isalnum()
    assert _api_origin(inventory)["customHeaders"] == [{"name": ORIGIN_HEADER, "value": stored}]
    bucket_origins = [
        o for o in only(inventory, DISTRIBUTION).inputs["origins"] if not o.get("customOriginConfig")
    ]
    assert all(not origin.get("customHeaders") for origin in bucket_origins)


@pytest.mark.parametrize(("stack", "refuses"), [("dev", False), ("qas", True), ("prd", True)])
def test_the_api_functions_check_the_secret_where_the_stack_refuses_direct_calls(inventories, stack, refuses):
    inventory = inventories[stack]
    secret_arn = only(inventory, SECRET).outputs["arn"]
    functions = {
        record.inputs["name"].removeprefix(f"booking-{stack}-"): record
        for record in inventory.of_type(FUNCTION)
    }
    for key in API_FUNCTIONS:
        variables = functions[key].inputs["environment"]["variables"]
        assert variables["ORIGIN_SECRET_ARN"] == (secret_arn if refuses else "")
    assert "ORIGIN_SECRET_ARN" not in functions["notifications"].inputs["environment"]["variables"]


def test_only_the_api_functions_may_read_the_secret(inventories):
    inventory = inventories["prd"]
    secret_arn = only(inventory, SECRET).outputs["arn"]
    readers = set()
    for policy in inventory.of_type(ROLE_POLICY):
        for statement in policy_statements(policy.inputs["policy"]):
            if "secretsmanager:GetSecretValue" in statement["Action"]:
                assert statement["Resource"] == [secret_arn]
                readers.add(policy.name.removeprefix("fn-").removesuffix("-policy"))
    assert sorted(readers) == API_FUNCTIONS

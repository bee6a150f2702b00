"""The user pool's triggers, its emails and what its app client may write, per stack."""

from __future__ import annotations

import pytest
from booking.contract import TENANT_CLAIM
from booking.settings import FUNCTIONS

from engine.inventory import Inventory, ResourceRecord
from tests.infra.conftest import only, policy_statements

pytestmark = pytest.mark.xdist_group("infra-program")

POOL = "aws:cognito/userPool:UserPool"
FUNCTION = "aws:lambda/function:Function"
TRIGGER_KEYS = {key for key, spec in FUNCTIONS.items() if spec.user_pool_triggers}


def _function(inventory: Inventory, key: str) -> ResourceRecord:
    name = f"booking-{inventory.stack}-{key}"
    (record,) = [record for record in inventory.of_type(FUNCTION) if record.inputs["name"] == name]
    return record


def test_the_pool_invokes_each_trigger_function_for_the_triggers_it_declares(inventory):
    pool = only(inventory, POOL).inputs
    expected = {
        trigger: _function(inventory, key).outputs["arn"]
        for key in TRIGGER_KEYS
        for trigger in FUNCTIONS[key].user_pool_triggers
    }
    configured = {name: value for name, value in pool["lambdaConfig"].items() if value}
    assert {"preSignUp", "postConfirmation", "customMessage"} <= set(configured)
    assert configured == {_camel(trigger): arn for trigger, arn in expected.items()}


def test_only_this_pool_may_invoke_the_trigger_functions(inventory):
    pool = only(inventory, POOL)
    permissions = [
        p
        for p in inventory.of_type("aws:lambda/permission:Permission")
        if p.inputs["principal"] == "cognito-idp.amazonaws.com"
    ]
    assert {p.inputs["function"] for p in permissions} == {
        f"booking-{inventory.stack}-{k}" for k in TRIGGER_KEYS
    }
    for permission in permissions:
        assert permission.inputs["action"] == "lambda:InvokeFunction"
        assert permission.inputs["sourceArn"] == pool.outputs["arn"]


def test_patients_may_sign_up_only_behind_the_pre_sign_up_trigger(inventory):
    pool = only(inventory, POOL).inputs
    assert pool["lambdaConfig"]["preSignUp"]
    assert pool["adminCreateUserConfig"]["allowAdminCreateUserOnly"] is False


def test_the_app_client_writes_neither_the_tenant_nor_anything_but_the_users_own_details(inventory):
    client = only(inventory, "aws:cognito/userPoolClient:UserPoolClient").inputs
    assert TENANT_CLAIM not in client["writeAttributes"]
    assert set(client["writeAttributes"]) == {"email", "name", "phone_number"}
    assert TENANT_CLAIM in client["readAttributes"]


def test_the_pool_sends_its_emails_through_the_stacks_ses_identity(inventory):
    pool = only(inventory, POOL).inputs
    # The sending identity, not the sandbox's verified recipients (addresses).
    (identity,) = [
        record
        for record in inventory.of_type("aws:sesv2/emailIdentity:EmailIdentity")
        if "@" not in record.inputs["emailIdentity"]
    ]
    configuration_set = only(inventory, "aws:sesv2/configurationSet:ConfigurationSet")
    email = pool["emailConfiguration"]
    assert email["emailSendingAccount"] == "DEVELOPER"
    assert email["sourceArn"] == identity.outputs["arn"]
    assert email["fromEmailAddress"].endswith(f"@{identity.inputs['emailIdentity']}")
    assert email["configurationSet"] == configuration_set.inputs["configurationSetName"]


def test_the_trigger_function_may_change_users_of_this_pool_only_and_does_not_wait_for_it(inventory):
    pool = only(inventory, POOL)
    function = _function(inventory, "identity")
    role_name = f"booking-{inventory.stack}-identity-role"
    role = next(r for r in inventory.of_type("aws:iam/role:Role") if r.inputs["name"] == role_name)
    policies = [p for p in inventory.of_type("aws:iam/rolePolicy:RolePolicy") if p.inputs["role"] == role.id]
    on_pool = [
        (policy, statement)
        for policy in policies
        for statement in policy_statements(policy.inputs["policy"])
        if any(action.startswith("cognito-idp:") for action in statement["Action"])
    ]
    ((policy, statement),) = on_pool
    assert statement["Resource"] == [pool.outputs["arn"]]
    assert set(statement["Action"]) == {
        "cognito-idp:AdminUpdateUserAttributes",
        "cognito-idp:AdminAddUserToGroup",
    }
    # A policy of its own, which the function does not wait for: the pool waits for the
    # function (a cycle would never finish the program's run).
    assert policy.name == "fn-identity-pool-policy"
    assert len(policies) == 2
    assert (
        set(function.inputs["environment"]["variables"]) == FUNCTIONS["identity"].settings.environment_names()
    )


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)

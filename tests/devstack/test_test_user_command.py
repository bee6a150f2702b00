"""``bookingctl test-user create|remove`` on an emulated stack found from its outputs (a
fake ``pulumi`` answers ``stack output``), as the pipeline runs them around the browser
suite."""

from __future__ import annotations

import pytest
from booking.adapters.dynamodb_directory_items import user_index_pk
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.dynamodb_users import DynamoUserRepository

from bookingctl.cli import main
from tests.devstack.test_seed_command import _point_boto3_at, fake_pulumi
from tests.devstack.test_tenant_command import CREATE, run

STACK = ["--stack", "qas"]
ADDRESS = "success+ci-41-2-qas@simulator.amazonses.com"


@pytest.fixture
def stack_with_a_clinic(ctx, deployed, monkeypatch, tmp_path, capsys):
    """A deployed stack (its outputs from a fake ``pulumi``) holding the clinic ``sonrisa``."""
    table_name, pool_id, _ = deployed
    _point_boto3_at(monkeypatch, ctx)
    fake_pulumi(monkeypatch, tmp_path, {"tableName": table_name, "userPoolId": pool_id, "region": ctx.region})
    code, said = run(capsys, "tenant", "create", *STACK, *CREATE, "--id", "sonrisa")
    assert code == 0, said
    return deployed


def emails(ctx, pool_id: str) -> list[str]:
    """The pool's users by address (the pool signs in by email; usernames are generated)."""
    users = ctx.client("cognito-idp").list_users(UserPoolId=pool_id)["Users"]
    return sorted(
        attribute["Value"]
        for user in users
        for attribute in user["Attributes"]
        if attribute["Name"] == "email"
    )


def create(capsys, *options: str) -> tuple[int, dict[str, str], str]:
    """The exit status, the NAME=value lines printed on stdout, and stderr."""
    code = main(["test-user", "create", *STACK, *options])
    said = capsys.readouterr()
    lines = dict(line.split("=", 1) for line in said.out.splitlines())
    return code, lines, said.err


def test_the_user_signs_in_with_the_printed_password_and_remove_leaves_nothing(
    ctx, stack_with_a_clinic, capsys
):
    table_name, pool_id, _ = stack_with_a_clinic
    cognito = ctx.client("cognito-idp")

    code, env, said = create(capsys, "--tenant", "sonrisa", "--label", "ci-41-2-qas")

    assert code == 0, said
    assert env["BOOKING_TEST_USER_EMAIL"] == ADDRESS
    assert emails(ctx, pool_id) == ["olga@sonrisa.ec", ADDRESS]
    assert (env["BOOKING_TEST_USER_ROLE"], env["BOOKING_TEST_TENANT"]) == ("Patient", "sonrisa")
    signed_in = cognito.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=stack_with_a_clinic[2],
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": ADDRESS, "PASSWORD": env["BOOKING_TEST_USER_PASSWORD"]},
    )
    assert "IdToken" in signed_in["AuthenticationResult"]  # permanent: no new-password challenge
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username=ADDRESS)["Groups"]
    assert [group["GroupName"] for group in groups] == ["Patient"]
    table = DynamoTable(table_name, client=ctx.client("dynamodb"))
    sub = next(
        attribute["Value"]
        for attribute in cognito.admin_get_user(UserPoolId=pool_id, Username=ADDRESS)["UserAttributes"]
        if attribute["Name"] == "sub"
    )
    assert DynamoUserRepository(table).get_user("sonrisa", sub) is not None

    removed, said_removed = run(capsys, "test-user", "remove", *STACK, "--email", ADDRESS)
    again, said_again = run(capsys, "test-user", "remove", *STACK, "--email", ADDRESS)

    assert (removed, again) == (0, 0)
    assert f"removed {ADDRESS} from stack qas" in said_removed
    assert f"nothing to change: no user {ADDRESS}" in said_again
    assert emails(ctx, pool_id) == ["olga@sonrisa.ec"]
    assert DynamoUserRepository(table).get_user("sonrisa", sub) is None
    index = table.query_all(
        KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": {"S": user_index_pk("sonrisa")}}
    )
    assert [item["sk"]["S"] for item in index if sub in item["sk"]["S"]] == []


def test_two_runs_get_two_users_with_different_passwords(stack_with_a_clinic, capsys):
    first = create(capsys, "--tenant", "sonrisa", "--label", "ci-1-1-dev")[1]
    second = create(capsys, "--tenant", "sonrisa", "--label", "ci-2-1-dev", "--role", "Reception")[1]

    assert first["BOOKING_TEST_USER_EMAIL"] != second["BOOKING_TEST_USER_EMAIL"]
    assert first["BOOKING_TEST_USER_PASSWORD"] != second["BOOKING_TEST_USER_PASSWORD"]
    assert second["BOOKING_TEST_USER_ROLE"] == "Reception"


def test_a_clinic_the_stack_does_not_have_is_refused_with_the_command_that_loads_it(
    ctx, stack_with_a_clinic, capsys
):
    code, env, said = create(capsys, "--label", "ci-3-1-dev")  # default: the demo clinic, not loaded

    assert (code, env) == (2, {})
    assert "no clinic 'demo-clinic': load the demo clinic once with `bookingctl seed" in said
    assert emails(ctx, stack_with_a_clinic[1]) == ["olga@sonrisa.ec"]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--label", "CI run!"], "invalid label 'CI run!'"),
        (["--label", "ci-4-1-dev", "--role", "Janitor"], "invalid --role 'Janitor'"),
    ],
)
def test_bad_values_exit_2_and_create_nobody(ctx, stack_with_a_clinic, capsys, options, expected):
    code, env, said = create(capsys, "--tenant", "sonrisa", *options)

    assert (code, env) == (2, {})
    assert expected in said
    assert emails(ctx, stack_with_a_clinic[1]) == ["olga@sonrisa.ec"]


def test_remove_refuses_an_address_that_is_not_a_test_users(ctx, stack_with_a_clinic, capsys):
    code, said = run(capsys, "test-user", "remove", *STACK, "--email", "olga@sonrisa.ec")

    assert code == 2
    assert "olga@sonrisa.ec is not a test user's address" in said
    ctx.client("cognito-idp").admin_get_user(UserPoolId=stack_with_a_clinic[1], Username="olga@sonrisa.ec")

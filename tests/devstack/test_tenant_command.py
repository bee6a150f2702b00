"""``bookingctl tenant …`` on an emulated stack: against the devstack's outputs and
against a deployed stack's (a fake ``pulumi`` answers ``stack output``)."""

from __future__ import annotations

import pytest

from bookingctl.cli import main
from devstack.outputs import DevstackOutputs
from devstack.state import StateDir
from tests.devstack.test_seed_command import _point_boto3_at, fake_pulumi

CREATE = ["--name", "Clínica Sonrisa", "--time-zone", "America/Guayaquil", "--owner-email", "olga@sonrisa.ec"]


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch) -> None:
    """Rich fits a table to the terminal's width (80 columns when a runner's environment
    says so) and wraps the names the tests look for: give it room."""
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture
def devstack_here(ctx, deployed, tmp_path) -> list[str]:
    """A devstack's outputs naming the emulated table and pool; the options that use it."""
    table_name, pool_id, client_id = deployed
    state = StateDir(tmp_path / ".devstack").fresh()
    DevstackOutputs(
        stack="dev",
        api_url="http://127.0.0.1:1",
        web_url="http://127.0.0.1:2",
        sign_in_url="http://127.0.0.1:3",
        aws_endpoint_url=ctx.endpoint_url,
        region=ctx.region,
        user_pool_id=pool_id,
        user_pool_client_id=client_id,
        table_name=table_name,
        demo_users=(),
        outbox=state.outbox,
        stack_outputs={},
        not_emulated=(),
        not_emulated_invokes=(),
    ).save(state)
    return ["--stack", "dev", "--devstack", "--state-dir", str(state.root)]


def run(capsys, *arguments: str) -> tuple[int, str]:
    """The exit status, and what the command said on stdout and stderr."""
    code = main(list(arguments))
    said = capsys.readouterr()
    return code, said.out + said.err


def test_a_clinic_is_created_with_its_owner_invited_and_a_rerun_changes_nothing(
    ctx, deployed, devstack_here, capsys
):
    code, said = run(capsys, "tenant", "create", *devstack_here, *CREATE, "--web-address", "sonrisa")
    again, said_again = run(capsys, "tenant", "create", *devstack_here, *CREATE, "--web-address", "sonrisa")
    listed, table = run(capsys, "tenant", "list", *devstack_here)

    assert (code, again, listed) == (0, 0, 0)
    assert "tenant sonrisa on the devstack of stack dev" in said
    assert "  invited the Owner olga@sonrisa.ec by email" in said
    assert "nothing to change" in said_again
    assert "1 tenant(s) on the devstack of stack dev" in table
    assert "Clínica Sonrisa" in table
    assert "active" in table
    owner = ctx.client("cognito-idp").admin_get_user(UserPoolId=deployed[1], Username="olga@sonrisa.ec")
    attributes = {attribute["Name"]: attribute["Value"] for attribute in owner["UserAttributes"]}
    assert attributes["custom:tenant_id"] == "sonrisa"
    groups = ctx.client("cognito-idp").admin_list_groups_for_user(
        UserPoolId=deployed[1], Username="olga@sonrisa.ec"
    )
    assert [group["GroupName"] for group in groups["Groups"]] == ["Owner"]


def test_disable_and_enable_say_what_changed_and_what_did_not(devstack_here, capsys):
    run(capsys, "tenant", "create", *devstack_here, *CREATE, "--id", "smile")

    results = [
        run(capsys, "tenant", command, *devstack_here, "smile")
        for command in ("disable", "disable", "enable")
    ]
    missing = run(capsys, "tenant", "disable", *devstack_here, "ghost")

    assert [code for code, _ in results] == [0, 0, 0]
    assert "tenant smile disabled" in results[0][1]
    assert "nothing to change: tenant smile is disabled" in results[1][1]
    assert "tenant smile active" in results[2][1]
    assert missing[0] == 1
    assert "TENANT_NOT_FOUND" in missing[1]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--id", "other", "--web-address", "sonrisa"], "WEB_ADDRESS_TAKEN"),
        (["--id", "sonrisa", "--web-address", "other"], "TENANT_EXISTS"),
    ],
)
def test_a_taken_id_or_web_address_is_refused_before_anything_is_written(
    ctx, deployed, devstack_here, capsys, options, expected
):
    run(capsys, "tenant", "create", *devstack_here, *CREATE, "--web-address", "sonrisa")
    cognito = ctx.client("cognito-idp")
    before = len(cognito.list_users(UserPoolId=deployed[1])["Users"])
    other_owner = ["--owner-email", "boss@other.ec"]

    code, said = run(capsys, "tenant", "create", *devstack_here, *CREATE[:4], *other_owner, *options)

    assert (code, expected in said) == (1, True)
    assert len(cognito.list_users(UserPoolId=deployed[1])["Users"]) == before
    assert "other" not in run(capsys, "tenant", "list", *devstack_here)[1]


def test_bad_values_are_named_by_their_option_on_stderr_and_nothing_is_touched(capsys):
    where = ["--stack", "dev", "--devstack", "--state-dir", "/nonexistent"]
    code = main(
        ["tenant", "create", *where, "--name", "X", "--time-zone", "Mars/Olympus", "--owner-email", "no@"]
    )
    said = capsys.readouterr()

    assert (code, said.out) == (2, "")
    assert "invalid --time-zone 'Mars/Olympus': unknown IANA time zone" in said.err
    assert "invalid --owner-email 'no@': not an email address" in said.err
    assert "no target" not in said.err  # validated before looking for the stack


def test_a_deployed_stack_is_found_from_its_outputs_with_the_callers_credentials(
    ctx, deployed, monkeypatch, capsys, tmp_path
):
    table_name, pool_id, _ = deployed
    _point_boto3_at(monkeypatch, ctx)
    calls = fake_pulumi(
        monkeypatch, tmp_path, {"tableName": table_name, "userPoolId": pool_id, "region": ctx.region}
    )

    code, said = run(capsys, "tenant", "create", "--stack", "qas", *CREATE)

    assert code == 0, said
    assert f"tenant clinica-sonrisa on stack qas ({ctx.region})" in said
    assert calls.read_text().split() == ["stack", "output", "--json", "--stack", "qas"]


def test_without_pulumi_the_command_says_why_it_has_no_target(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    code, said = run(capsys, "tenant", "list", "--stack", "qas")
    assert code == 2
    assert "no target: the Pulumi CLI is not on PATH" in said

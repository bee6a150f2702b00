import json
import os
import stat
from pathlib import Path

from bookingctl.cli import main
from devstack.access import credential_variables


def _point_boto3_at(monkeypatch, ctx):
    """boto3's usual configuration, aimed at the emulator instead of an AWS account."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", ctx.endpoint_url)
    for name, value in credential_variables().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", ctx.region)


def test_seed_with_explicit_table_and_pool_loads_the_demo_and_prints_progress(
    ctx, deployed, monkeypatch, capsys
):
    table_name, pool_id, _ = deployed
    _point_boto3_at(monkeypatch, ctx)

    code = main(["seed", "--stack", "uat", "--table", table_name, "--user-pool-id", pool_id])

    printed = capsys.readouterr().out
    assert code == 0
    assert f"table {table_name}, user pool {pool_id}" in printed
    assert "  user patient@demo-clinic.test (Patient)" in printed
    assert "  professional dr-ana-torres" in printed
    users = ctx.client("cognito-idp").list_users(UserPoolId=pool_id)["Users"]
    assert len(users) == 5


def fake_pulumi(monkeypatch, tmp_path, outputs: dict[str, str]) -> Path:
    """A ``pulumi`` on PATH that answers ``stack output`` with ``outputs``; the file its
    arguments are written to."""
    calls = tmp_path / "calls.txt"
    fake = tmp_path / "bin" / "pulumi"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\necho \"$@\" >> {calls}\necho '{json.dumps(outputs)}'\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    return calls


def test_seed_reads_the_table_and_pool_from_the_stacks_outputs(ctx, deployed, monkeypatch, capsys, tmp_path):
    table_name, pool_id, _ = deployed
    _point_boto3_at(monkeypatch, ctx)
    calls = fake_pulumi(
        monkeypatch, tmp_path, {"tableName": table_name, "userPoolId": pool_id, "region": ctx.region}
    )

    code = main(["seed", "--stack", "uat"])

    assert code == 0
    assert calls.read_text().split() == ["stack", "output", "--json", "--stack", "uat"]
    assert f"table {table_name}" in capsys.readouterr().out
    assert len(ctx.client("cognito-idp").list_users(UserPoolId=pool_id)["Users"]) == 5


def test_seed_without_pulumi_or_flags_says_what_to_pass(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))

    assert main(["seed", "--stack", "uat"]) == 2
    assert "--table and --user-pool-id" in capsys.readouterr().out

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from bookingctl.cli import main
from bookingctl.commands.seed import PASSWORD_LENGTH, strong_password
from devstack.access import SignInError, credential_variables, password_sign_in
from devstack.seed import load_seed
from engine.stack_file import PROJECT_ROOT


def _point_boto3_at(monkeypatch, ctx):
    """boto3's usual configuration, aimed at the emulator instead of an AWS account."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", ctx.endpoint_url)
    for name, value in credential_variables().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", ctx.region)


def _printed_passwords(printed: str) -> dict[str, str]:
    """The password table's rows: email → password."""
    emails = {user.email for user in load_seed().users}
    rows = [line.split() for line in printed.splitlines()]
    return {row[0]: row[-1] for row in rows if row and row[0] in emails}


def test_seed_with_explicit_table_and_pool_loads_the_demo_and_prints_progress(
    ctx, deployed, monkeypatch, capsys
):
    table_name, pool_id, _ = deployed
    _point_boto3_at(monkeypatch, ctx)

    code = main(["seed", "--stack", "dev", "--table", table_name, "--user-pool-id", pool_id])

    printed = capsys.readouterr().out
    assert code == 0
    assert f"table {table_name}, user pool {pool_id}" in printed
    assert "  user patient@demo-clinic.test (Patient)" in printed
    assert "  professional dr-ana-torres" in printed
    users = ctx.client("cognito-idp").list_users(UserPoolId=pool_id)["Users"]
    assert len(users) == 5


def test_outside_the_devstack_each_user_gets_a_generated_password_printed_once_not_the_published_one(
    ctx, deployed, monkeypatch, capsys
):
    table_name, pool_id, client_id = deployed
    _point_boto3_at(monkeypatch, ctx)

    assert main(["seed", "--stack", "dev", "--table", table_name, "--user-pool-id", pool_id]) == 0

    printed = capsys.readouterr().out
    passwords = _printed_passwords(printed)
    published = {user.email: user.password for user in load_seed().users}
    assert set(passwords) == set(published)
    assert len(set(passwords.values())) == len(passwords)
    assert not set(passwords.values()) & set(published.values())
    assert printed.count(passwords["patient@demo-clinic.test"]) == 1
    cognito = ctx.client("cognito-idp")
    signed_in = password_sign_in(
        cognito,
        user_pool_id=pool_id,
        client_id=client_id,
        email="patient@demo-clinic.test",
        password=passwords["patient@demo-clinic.test"],
    )
    assert signed_in.id_token
    with pytest.raises(SignInError, match="wrong password"):
        password_sign_in(
            cognito,
            user_pool_id=pool_id,
            client_id=client_id,
            email="patient@demo-clinic.test",
            password=published["patient@demo-clinic.test"],
        )


def test_generated_passwords_are_long_and_carry_every_class_the_pool_requires():
    for _ in range(50):
        password = strong_password()
        assert len(password) == PASSWORD_LENGTH
        assert any(c.islower() for c in password)
        assert any(c.isupper() for c in password)
        assert any(c.isdigit() for c in password)
        assert any(not c.isalnum() for c in password)


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

    code = main(["seed", "--stack", "qas"])

    assert code == 0
    assert calls.read_text().split() == ["stack", "output", "--json", "--stack", "qas"]
    assert f"table {table_name}" in capsys.readouterr().out
    assert len(ctx.client("cognito-idp").list_users(UserPoolId=pool_id)["Users"]) == 5


def test_seed_without_pulumi_or_flags_says_what_to_pass(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))

    assert main(["seed", "--stack", "dev"]) == 2
    assert "--table and --user-pool-id" in capsys.readouterr().err


def test_seed_refuses_a_production_stack_before_touching_anything(monkeypatch, tmp_path, capsys):
    calls = fake_pulumi(monkeypatch, tmp_path, {"tableName": "t", "userPoolId": "p"})

    assert main(["seed", "--stack", "prd", "--table", "t", "--user-pool-id", "p"]) == 2

    error = capsys.readouterr().err
    assert "stack prd is a production stack" in error
    assert "seed data never reaches production" in error
    assert not calls.exists()


def _stack_file(tmp_path: Path, name: str, extra: str) -> Path:
    """A copy of the dev stack's file as ``Pulumi.<name>.yaml``, with ``extra`` appended."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(PROJECT_ROOT / "Pulumi.dev.yaml", root / f"Pulumi.{name}.yaml")
    with (root / f"Pulumi.{name}.yaml").open("a", encoding="utf-8") as stack_file:
        stack_file.write(extra)
    return root


def test_seed_refuses_a_stack_that_turns_seeding_off(monkeypatch, tmp_path, capsys):
    root = _stack_file(tmp_path, "uat", "  booking-platform:seedData: false\n")
    calls = fake_pulumi(monkeypatch, tmp_path, {"tableName": "t", "userPoolId": "p"})

    code = main(["seed", "--stack", "uat", "--project-root", str(root)])

    assert code == 2
    assert "stack uat turns seeding off (booking-platform:seedData: false)" in capsys.readouterr().err
    assert not calls.exists()


def test_seed_refuses_a_stack_it_cannot_classify(monkeypatch, tmp_path, capsys):
    code = main(["seed", "--stack", "nowhere", "--table", "t", "--user-pool-id", "p"])

    assert code == 2
    assert "cannot tell whether stack nowhere allows seed data" in capsys.readouterr().err


def test_seed_refuses_a_seed_file_that_does_not_load_before_touching_anything(monkeypatch, tmp_path, capsys):
    calls = fake_pulumi(monkeypatch, tmp_path, {"tableName": "t", "userPoolId": "p"})
    broken = tmp_path / "seed.json"
    broken.write_text('{"tenant": ', encoding="utf-8")

    code = main(["seed", "--stack", "dev", "--seed-file", str(broken)])

    assert code == 2
    error = capsys.readouterr().err
    assert f"seed: seed file {broken}" in error
    assert "Traceback" not in error
    assert not calls.exists()

"""``bookingctl local token`` signs in to the devstack's emulated Cognito."""

from __future__ import annotations

import jwt

from devstack.state import StateDir
from tests.cli import bookingctl
from tests.devstack.fakes import demo_user, devstack_outputs
from tests.unit.gateway.conftest import EmulatedPool


def _write_outputs(tmp_path, pool: EmulatedPool) -> None:
    admin = demo_user("Admin", email="admin@clinic.example", password="Passw0rd!x", tenant_id="tenant-a")
    devstack_outputs(
        aws_endpoint_url=pool.endpoint_url,
        user_pool_id=pool.pool_id,
        user_pool_client_id=pool.client_id,
        demo_users=(admin,),
        outbox=tmp_path / "outbox",
    ).save(StateDir(tmp_path))


def test_it_prints_the_demo_users_id_token_using_the_password_from_outputs(tmp_path, emulated_pool):
    _write_outputs(tmp_path, emulated_pool)

    result = bookingctl("local", "token", "--email", "admin@clinic.example", "--state-dir", str(tmp_path))

    # the token and nothing else, for $(bookingctl local token …)
    (token,) = result.stdout.splitlines()
    assert result.stderr == ""
    claims = jwt.decode(token, options={"verify_signature": False})
    assert result.exit_code == 0
    assert claims["token_use"] == "id"
    assert claims["aud"] == emulated_pool.client_id
    assert claims["custom:tenant_id"] == "tenant-a"


def test_it_prints_the_access_token_when_asked(tmp_path, emulated_pool):
    _write_outputs(tmp_path, emulated_pool)

    result = bookingctl(
        "local", "token", "--email", "admin@clinic.example", "--access", "--state-dir", str(tmp_path)
    )

    claims = jwt.decode(result.stdout.strip(), options={"verify_signature": False})
    assert claims["token_use"] == "access"


def test_a_wrong_password_fails_with_a_message_not_a_traceback(tmp_path, emulated_pool):
    _write_outputs(tmp_path, emulated_pool)

    result = bookingctl(
        "local",
        "token",
        "--email",
        "admin@clinic.example",
        "--password",
        "nope",
        "--state-dir",
        str(tmp_path),
    )

    assert result.exit_code == 1
    assert "sign-in refused" in result.stderr
    assert result.stdout == ""


def test_an_unknown_email_without_password_names_the_demo_users(tmp_path, emulated_pool):
    _write_outputs(tmp_path, emulated_pool)

    result = bookingctl("local", "token", "--email", "who@else.example", "--state-dir", str(tmp_path))

    assert result.exit_code == 1
    assert "admin@clinic.example" in result.stderr


def test_without_a_running_devstack_it_says_to_start_one(tmp_path):
    result = bookingctl("local", "token", "--email", "a@b.example", "--state-dir", str(tmp_path))

    assert result.exit_code == 1
    assert "bookingctl local up" in result.stderr

"""A real emulated Cognito (moto's server on loopback) issuing the tokens the
gateway's JWT authorizer checks.

moto's server runs in its own process: moto's backends are process-global, and other
tests in this worker start ``mock_aws`` or reset moto, which would wipe an in-process
server's pool between two of these tests."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import jwt
import pytest
import requests

from devstack.access import emulator_client, password_sign_in
from devstack.net import free_port

REGION = "us-east-1"


@dataclass(frozen=True)
class EmulatedPool:
    endpoint_url: str
    pool_id: str
    client_id: str
    issuer: str
    id_token: str
    access_token: str

    def claims(self) -> dict[str, Any]:
        claims: dict[str, Any] = jwt.decode(self.id_token, options={"verify_signature": False})
        return claims


@contextmanager
def moto_server_process() -> Iterator[str]:
    """moto's server in a child process; yields its endpoint URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{endpoint_url}/moto-api/", timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("moto's server did not start") from None
                time.sleep(0.1)
        yield endpoint_url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def emulated_pool() -> Iterator[EmulatedPool]:
    with moto_server_process() as endpoint_url:
        yield _create_pool(endpoint_url)


def _create_pool(endpoint_url: str) -> EmulatedPool:
    cognito = emulator_client("cognito-idp", endpoint_url=endpoint_url, region=REGION)
    pool_id = cognito.create_user_pool(
        PoolName="gateway-tests",
        UsernameAttributes=["email"],
        Schema=[{"Name": "tenant_id", "AttributeDataType": "String", "Mutable": True}],
    )["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="spa",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    cognito.create_group(UserPoolId=pool_id, GroupName="Admin")
    email = "admin@clinic.example"
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=email,
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "custom:tenant_id", "Value": "tenant-a"}],
        MessageAction="SUPPRESS",
    )
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=email, Password="Passw0rd!x", Permanent=True)
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=email, GroupName="Admin")
    tokens = password_sign_in(
        cognito, user_pool_id=pool_id, client_id=client_id, email=email, password="Passw0rd!x"
    )
    return EmulatedPool(
        endpoint_url=endpoint_url,
        pool_id=pool_id,
        client_id=client_id,
        issuer=f"https://cognito-idp.{REGION}.amazonaws.com/{pool_id}",
        id_token=tokens.id_token,
        access_token=tokens.access_token,
    )

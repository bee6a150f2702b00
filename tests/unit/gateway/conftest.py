"""A real emulated Cognito (moto's server on loopback) issuing the tokens the
gateway's JWT authorizer checks."""

from __future__ import annotations

import gzip
import importlib.resources
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import jwt
import pytest
from moto.server import ThreadedMotoServer

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


def moto_signing_key() -> Any:
    """The private key moto signs its Cognito tokens with (shipped in moto's resources),
    to mint tokens that are genuinely signed but wrong in one other way."""
    resource = importlib.resources.files("moto.cognitoidp") / "resources" / "jwks-private.json.gz"
    jwk = json.loads(gzip.decompress(resource.read_bytes()))
    return jwt.algorithms.RSAAlgorithm.from_jwk(jwk)


def mint(claims: dict[str, Any], key: Any = None, algorithm: str = "RS256", kid: str = "dummy") -> str:
    return jwt.encode(
        claims, key if key is not None else moto_signing_key(), algorithm=algorithm, headers={"kid": kid}
    )


@pytest.fixture(scope="session")
def emulated_pool() -> Iterator[EmulatedPool]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint_url = f"http://{host}:{port}"
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
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
    result = cognito.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": "Passw0rd!x"},
    )["AuthenticationResult"]
    yield EmulatedPool(
        endpoint_url=endpoint_url,
        pool_id=pool_id,
        client_id=client_id,
        issuer=f"https://cognito-idp.{REGION}.amazonaws.com/{pool_id}",
        id_token=result["IdToken"],
        access_token=result["AccessToken"],
    )
    server.stop()


def expired_copy(claims: dict[str, Any]) -> dict[str, Any]:
    now = int(time.time())
    return {**claims, "iat": now - 7200, "auth_time": now - 7200, "exp": now - 3600}

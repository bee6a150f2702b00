"""Tokens that are wrong in exactly one way, for the JWT authorizer's tests.

moto signs every Cognito token with one key pair shipped in its resources; signing
with that private key gives tokens whose signature is genuine, so the one thing
wrong with them (expiry, audience, issuer) is what the authorizer must catch.
"""

from __future__ import annotations

import base64
import functools
import gzip
import importlib.resources
import json
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


@functools.cache
def moto_signing_key() -> Any:
    resource = importlib.resources.files("moto.cognitoidp") / "resources" / "jwks-private.json.gz"
    jwk = json.loads(gzip.decompress(resource.read_bytes()))
    return jwt.algorithms.RSAAlgorithm.from_jwk(jwk)


@functools.cache
def stranger_key() -> rsa.RSAPrivateKey:
    """A key nobody trusts: what a forger signs with."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def unverified_claims(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def mint(claims: dict[str, Any], key: Any = None, algorithm: str = "RS256", kid: str = "dummy") -> str:
    """A token over ``claims``, signed with moto's key unless another is given."""
    return jwt.encode(
        claims, key if key is not None else moto_signing_key(), algorithm=algorithm, headers={"kid": kid}
    )


def expired_copy(claims: dict[str, Any]) -> dict[str, Any]:
    now = int(time.time())
    return {**claims, "iat": now - 7200, "auth_time": now - 7200, "exp": now - 3600}


def forged(token: str) -> str:
    """The same claims and key id, signed by a stranger."""
    kid = jwt.get_unverified_header(token).get("kid", "dummy")
    return mint(unverified_claims(token), key=stranger_key(), kid=kid)


def expired(token: str) -> str:
    return mint(expired_copy(unverified_claims(token)))


def wrong_audience(token: str) -> str:
    claims = unverified_claims(token)
    field = "client_id" if claims.get("token_use") == "access" else "aud"
    return mint({**claims, field: "someone-elses-client"})


def alg_none(token: str) -> str:
    """The real token's claims with ``alg: none`` and no signature."""
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT","kid":"dummy"}').rstrip(b"=").decode()
    return f"{header}.{token.split('.')[1]}."


BAD_TOKENS = {
    "forged signature": forged,
    "expired": expired,
    "wrong audience": wrong_audience,
    "alg none": alg_none,
}

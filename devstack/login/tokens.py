"""Re-signing an ID token the emulated pool issued, with the claims AWS would give it.

moto's tokens differ from Cognito's in one way the app notices: a refresh gives the ID
token a new ``auth_time``, where Cognito keeps the original sign-in's, and OIDC clients
(oidc-client-ts among them) refuse a renewed ID token whose ``auth_time`` changed. The
managed login restores it (and adds the authorization request's ``nonce``) and signs
the token again with moto's own key (its ``kid``), so the JWKS moto serves, which the
API's JWT authorizer uses, still verifies it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jwt

ALGORITHM = "RS256"
MOTO_PRIVATE_KEY = "cognitoidp/resources/jwks-private.json"


@cache
def _signing_key() -> jwt.PyJWK:
    from moto.utilities.utils import load_resource

    return jwt.PyJWK(load_resource(MOTO_PRIVATE_KEY), algorithm=ALGORITHM)


def unverified_claims(token: str) -> dict[str, Any]:
    """The claims of a token this process's emulator signed (no need to verify them)."""
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def with_claims(id_token: str, **claims: Any) -> str:
    """``id_token`` with ``claims`` set (a ``None`` value leaves that claim as it is)."""
    changes = {name: value for name, value in claims.items() if value is not None}
    current = unverified_claims(id_token)
    if all(current.get(name) == value for name, value in changes.items()):
        return id_token
    key = _signing_key()
    return jwt.encode({**current, **changes}, key.key, algorithm=ALGORITHM, headers={"kid": key.key_id})

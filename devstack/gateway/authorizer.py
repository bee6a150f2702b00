"""API Gateway's JWT authorizer: verify a bearer token against the issuer's JWKS.

The checks are those API Gateway documents for HTTP APIs, with ``alg`` pinned to
RS256 (what Cognito signs with), so an unsigned (``alg: none``) or HMAC token is
refused before any key is looked at. Claims reach the function stringified, as API
Gateway passes them (``cognito:groups`` becomes ``"[Admin Owner]"``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt

from devstack.gateway.model import JwtAuthorizer

ALGORITHM = "RS256"
COGNITO_ISSUER = re.compile(r"https://cognito-idp\.[a-z0-9-]+\.amazonaws\.com/(?P<pool>[\w-]+)")


class Unauthorized(Exception):
    """The token is missing or fails a check: the gateway answers 401."""


class Forbidden(Exception):
    """The token is valid but lacks every scope the route requires: 403."""


@dataclass(frozen=True)
class AuthorizerContext:
    """What lands in ``requestContext.authorizer.jwt`` of the event."""

    claims: dict[str, str]
    scopes: list[str] | None

    def to_event(self) -> dict[str, Any]:
        return {"jwt": {"claims": self.claims, "scopes": self.scopes}}


def emulator_jwks_resolver(endpoint_url: str) -> Callable[[str], str]:
    """Where the JWKS of an issuer is: a Cognito issuer's keys are served by the
    emulator at ``<endpoint>/<userPoolId>/.well-known/jwks.json``; any other issuer
    at ``<issuer>/.well-known/jwks.json``."""
    base = endpoint_url.rstrip("/")

    def resolve(issuer: str) -> str:
        match = COGNITO_ISSUER.fullmatch(issuer)
        if match:
            return f"{base}/{match['pool']}/.well-known/jwks.json"
        return f"{issuer.rstrip('/')}/.well-known/jwks.json"

    return resolve


def stringify_claim(value: Any) -> str:
    """A claim as API Gateway hands it to the integration: arrays as ``[a b]``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "[" + " ".join(stringify_claim(item) for item in value) + "]"
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def bearer_token(value: str | None) -> str:
    if not value:
        raise Unauthorized("no token")
    scheme, _, rest = value.strip().partition(" ")
    token = rest.strip() if scheme.lower() == "bearer" else value.strip()
    if not token:
        raise Unauthorized("no token")
    return token


class JwtVerifier:
    """One authorizer's checks, with the issuer's keys cached as API Gateway does."""

    def __init__(self, authorizer: JwtAuthorizer, jwks_url: str) -> None:
        self.authorizer = authorizer
        self._keys = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300, timeout=5)

    def verify(self, token: str, required_scopes: tuple[str, ...] = ()) -> AuthorizerContext:
        claims = self._decode(token)
        self._check_audience(claims)
        scopes = str(claims["scope"]).split() if "scope" in claims else None
        if required_scopes and not set(required_scopes) & set(scopes or ()):
            raise Forbidden("insufficient scopes")
        return AuthorizerContext({name: stringify_claim(value) for name, value in claims.items()}, scopes)

    def _decode(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise Unauthorized(f"malformed token: {error}") from error
        if header.get("alg") != ALGORITHM:
            raise Unauthorized(f"algorithm {header.get('alg')!r} is not accepted")
        try:
            signing_key = self._keys.get_signing_key_from_jwt(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                signing_key.key,
                algorithms=[ALGORITHM],
                issuer=self.authorizer.issuer,
                # exp, nbf and iat are checked against the clock with no leeway.
                options={"require": ["exp", "iss"], "verify_aud": False},
            )
        except (jwt.PyJWTError, jwt.PyJWKClientError) as error:
            raise Unauthorized(str(error)) from error
        return claims

    def _check_audience(self, claims: dict[str, Any]) -> None:
        """ID tokens carry ``aud``, access tokens ``client_id``; one of the
        authorizer's audiences must be there (API Gateway reads ``aud`` first)."""
        token_use = claims.get("token_use")
        if token_use not in (None, "id", "access"):
            raise Unauthorized(f"token_use {token_use!r} is not accepted")
        if token_use == "access" or (token_use is None and "aud" not in claims):  # noqa: S105 - a claim value
            candidates = [claims.get("client_id")]
        else:
            aud = claims.get("aud")
            candidates = list(aud) if isinstance(aud, list) else [aud]
        if not any(candidate in self.authorizer.audiences for candidate in candidates if candidate):
            raise Unauthorized("audience not accepted")
